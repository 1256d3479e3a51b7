// Private files: modes, atomic replacement, locks and symbolic links.
#include "client/private_file.h"

#include <poll.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace caspio::internal {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMax = 1024;

class PrivateFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = caspio::testing::MakeScratchDirectory("private");
    dir_ = root_ / "a" / "b";
  }
  void TearDown() override { fs::remove_all(root_); }

  PrivateDirectory Open() {
    absl::StatusOr<PrivateDirectory> dir =
        PrivateDirectory::Open(dir_, Creation::kCreate);
    EXPECT_TRUE(dir.ok()) << dir.status();
    return *std::move(dir);
  }

  fs::path root_;
  fs::path dir_;
};

mode_t ModeOf(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

std::string ContentOf(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int EntriesIn(const fs::path& dir) {
  int entries = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    (void)entry;
    ++entries;
  }
  return entries;
}

TEST_F(PrivateFileTest, DirectoryIs0700AndFilesAre0600) {
  PrivateDirectory dir = Open();
  ASSERT_TRUE(dir.Replace("f.json", "{}").ok());
  auto lock = dir.Lock("f.lock");
  ASSERT_TRUE(lock.ok()) << lock.status();

  EXPECT_EQ(ModeOf(dir_), 0700u);
  EXPECT_EQ(ModeOf(dir_ / "f.json"), 0600u);
  EXPECT_EQ(ModeOf(dir_ / "f.lock"), 0600u);
}

TEST_F(PrivateFileTest, AnOpenDirectoryIsRestricted) {
  fs::create_directories(dir_);
  ASSERT_EQ(::chmod(dir_.c_str(), 0755), 0);
  Open();
  EXPECT_EQ(ModeOf(dir_), 0700u);
}

TEST_F(PrivateFileTest, AMissingDirectoryIsNotCreatedForReading) {
  auto dir = PrivateDirectory::Open(dir_, Creation::kExistingOnly);
  EXPECT_TRUE(absl::IsNotFound(dir.status())) << dir.status();
  EXPECT_TRUE(absl::IsNotFound(
      ReadPrivateFile(dir_ / "f", kMax, LaxFile::kRefuse).status()));
  EXPECT_FALSE(fs::exists(dir_));
}

TEST_F(PrivateFileTest, ReplaceIsAtomicAndLeavesNoTemporaryFile) {
  ASSERT_TRUE(ReplacePrivateFile(dir_ / "f", "old").ok());
  std::ifstream reader(dir_ / "f");  // holds the old file open

  ASSERT_TRUE(ReplacePrivateFile(dir_ / "f", "new").ok());
  std::string seen;
  reader >> seen;
  EXPECT_EQ(seen, "old");  // a reader never sees a mix
  EXPECT_EQ(*ReadPrivateFile(dir_ / "f", kMax, LaxFile::kRefuse), "new");
  EXPECT_EQ(EntriesIn(dir_), 1);
}

TEST_F(PrivateFileTest, LaxFilesAreRefusedOrRestricted) {
  PrivateDirectory dir = Open();
  ASSERT_TRUE(dir.Replace("f", "text").ok());
  ASSERT_EQ(::chmod((dir_ / "f").c_str(), 0644), 0);

  EXPECT_TRUE(
      absl::IsPermissionDenied(dir.Read("f", kMax, LaxFile::kRefuse).status()));
  EXPECT_EQ(*dir.Read("f", kMax, LaxFile::kRestrict), "text");
  EXPECT_EQ(ModeOf(dir_ / "f"), 0600u);
}

TEST_F(PrivateFileTest, ReadsAreCapped) {
  PrivateDirectory dir = Open();
  ASSERT_TRUE(dir.Replace("f", std::string(kMax + 1, 'x')).ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(
      dir.Read("f", kMax, LaxFile::kRefuse).status()));
  EXPECT_EQ(dir.Read("f", kMax + 1, LaxFile::kRefuse)->size(), kMax + 1);
}

TEST_F(PrivateFileTest, ASymbolicLinkIsNeitherReadNorWrittenThrough) {
  PrivateDirectory dir = Open();
  const fs::path target = root_ / "elsewhere";
  { std::ofstream(target) << "keep"; }
  ASSERT_EQ(::chmod(target.c_str(), 0600), 0);
  fs::create_symlink(target, dir_ / "f");
  fs::create_symlink(target, dir_ / "f.lock");

  EXPECT_TRUE(absl::IsPermissionDenied(
      dir.Read("f", kMax, LaxFile::kRestrict).status()));
  EXPECT_FALSE(dir.Lock("f.lock").ok());
  ASSERT_TRUE(dir.Replace("f", "new").ok());
  EXPECT_FALSE(fs::is_symlink(dir_ / "f"));
  EXPECT_EQ(ContentOf(target), "keep");

  fs::create_symlink(dir_, root_ / "link");
  EXPECT_FALSE(PrivateDirectory::Open(root_ / "link", Creation::kCreate).ok());
}

TEST_F(PrivateFileTest, RemoveIsQuietWhenTheFileIsGone) {
  PrivateDirectory dir = Open();
  ASSERT_TRUE(dir.Replace("f", "x").ok());
  EXPECT_TRUE(dir.Remove("f").ok());
  EXPECT_FALSE(fs::exists(dir_ / "f"));
  EXPECT_TRUE(dir.Remove("f").ok());
}

// True when a byte arrives on `fd` within `timeout_ms`.
bool ByteArrives(int fd, int timeout_ms) {
  pollfd ready{.fd = fd, .events = POLLIN, .revents = 0};
  return ::poll(&ready, 1, timeout_ms) == 1;
}

// A child process waits for the lock the parent holds, and reports (one
// byte on a pipe) only once the parent lets it go. The child forks before
// the lock is taken: an inherited descriptor would share the lock.
TEST_F(PrivateFileTest, ALockExcludesAnotherProcess) {
  PrivateDirectory dir = Open();
  int go[2];
  int acquired[2];
  ASSERT_EQ(::pipe(go), 0);
  ASSERT_EQ(::pipe(acquired), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(go[1]);
    ::close(acquired[0]);
    char byte;
    if (::read(go[0], &byte, 1) != 1) ::_exit(1);
    auto child_dir = PrivateDirectory::Open(dir_, Creation::kCreate);
    if (!child_dir.ok() || !child_dir->Lock("f.lock").ok()) ::_exit(1);
    ::_exit(::write(acquired[1], "1", 1) == 1 ? 0 : 1);
  }
  ::close(go[0]);
  ::close(acquired[1]);

  std::optional<absl::StatusOr<FileLock>> held(dir.Lock("f.lock"));
  ASSERT_TRUE(held->ok()) << held->status();
  ASSERT_EQ(::write(go[1], "1", 1), 1);
  EXPECT_FALSE(ByteArrives(acquired[0], 300));
  held.reset();
  EXPECT_TRUE(ByteArrives(acquired[0], 10000));

  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ::close(go[1]);
  ::close(acquired[0]);
}

}  // namespace
}  // namespace caspio::internal
