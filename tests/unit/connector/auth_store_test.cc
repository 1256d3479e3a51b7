// The authentications file: private, atomic, and round-tripping.
#include "cli/auth_store.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace caspio::cli {
namespace {

// A fresh XDG_CONFIG_HOME for each test.
class AuthStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = caspio::testing::MakeScratchDirectory("auth");
    ::setenv("XDG_CONFIG_HOME", dir_.c_str(), 1);
  }
  void TearDown() override {
    ::unsetenv("XDG_CONFIG_HOME");
    std::filesystem::remove_all(dir_);
  }

  static Authentication Sample(std::string name = "prod") {
    return Authentication{.name = std::move(name),
                          .subdomain = "b3poa",
                          .client_id = "id-123",
                          .client_secret = "s3cr3t-value"};
  }
  static mode_t ModeOf(const std::filesystem::path& path) {
    struct stat info {};
    EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
    return info.st_mode & 0777;
  }

  std::filesystem::path dir_;
};

TEST_F(AuthStoreTest, DefaultLocationFollowsXdgConfigHome) {
  absl::StatusOr<AuthStore> store = AuthStore::AtDefaultLocation();
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store->file(), dir_ / "caspio" / "authentications.json");
}

TEST_F(AuthStoreTest, FileIs0600AndDirectory0700) {
  AuthStore store = *AuthStore::AtDefaultLocation();
  ASSERT_TRUE(store.Put(Sample()).ok());

  EXPECT_EQ(ModeOf(store.file()), 0600u);
  EXPECT_EQ(ModeOf(store.file().parent_path()), 0700u);
  // Only the file and its lock: no temporary file left behind.
  std::set<std::string> entries;
  for (const auto& entry :
       std::filesystem::directory_iterator(store.file().parent_path())) {
    entries.insert(entry.path().filename().string());
    EXPECT_EQ(ModeOf(entry.path()), 0600u) << entry.path();
  }
  std::string name = store.file().filename().string();
  EXPECT_EQ(entries, (std::set<std::string>{name, name + ".lock"}));
}

TEST_F(AuthStoreTest, RoundTrips) {
  AuthStore store = *AuthStore::AtDefaultLocation();
  Authentication local{.name = "local",
                       .integration_url = "http://127.0.0.1:41234",
                       .client_id = "emu",
                       .client_secret = "emu-secret"};
  ASSERT_TRUE(store.Put(Sample()).ok());
  ASSERT_TRUE(store.Put(local).ok());

  absl::StatusOr<Authentication> prod = store.Get("prod");
  ASSERT_TRUE(prod.ok());
  EXPECT_EQ(prod->subdomain, "b3poa");
  EXPECT_EQ(prod->client_id, "id-123");
  EXPECT_EQ(prod->client_secret, "s3cr3t-value");
  absl::StatusOr<Authentication> emulator = store.Get("local");
  ASSERT_TRUE(emulator.ok());
  EXPECT_EQ(emulator->integration_url, "http://127.0.0.1:41234");
  EXPECT_EQ(store.List()->size(), 2u);
}

TEST_F(AuthStoreTest, PutReplacesTheSameName) {
  AuthStore store = *AuthStore::AtDefaultLocation();
  ASSERT_TRUE(store.Put(Sample()).ok());
  Authentication rotated = Sample();
  rotated.client_secret = "new-secret";
  ASSERT_TRUE(store.Put(rotated).ok());

  EXPECT_EQ(store.List()->size(), 1u);
  EXPECT_EQ(store.Get("prod")->client_secret, "new-secret");
  EXPECT_EQ(ModeOf(store.file()), 0600u);
}

TEST_F(AuthStoreTest, Removes) {
  AuthStore store = *AuthStore::AtDefaultLocation();
  ASSERT_TRUE(store.Put(Sample("a")).ok());
  ASSERT_TRUE(store.Put(Sample("b")).ok());

  ASSERT_TRUE(store.Remove("a").ok());

  EXPECT_TRUE(absl::IsNotFound(store.Get("a").status()));
  EXPECT_TRUE(store.Get("b").ok());
  EXPECT_TRUE(absl::IsNotFound(store.Remove("a")));
}

TEST_F(AuthStoreTest, ConcurrentChangesFromProcessesAreAllKept) {
  constexpr int kProcesses = 6, kEach = 5;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = fork();
    if (pid == 0) {
      AuthStore store = *AuthStore::AtDefaultLocation();
      bool ok = true;
      for (int i = 0; i < kEach; ++i) {
        ok &=
            store.Put(Sample("p" + std::to_string(p) + "_" + std::to_string(i)))
                .ok();
      }
      _exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  auto all = AuthStore::AtDefaultLocation()->List();
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), static_cast<std::size_t>(kProcesses * kEach));
}

TEST_F(AuthStoreTest, MissingFileIsAnEmptyList) {
  AuthStore store = *AuthStore::AtDefaultLocation();
  absl::StatusOr<std::vector<Authentication>> all = store.List();
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
}

TEST_F(AuthStoreTest, RefusesBadNamesAndIncompleteEntries) {
  AuthStore store = *AuthStore::AtDefaultLocation();
  EXPECT_FALSE(store.Put(Sample("has space")).ok());
  EXPECT_FALSE(store.Put(Sample("")).ok());
  Authentication no_secret = Sample();
  no_secret.client_secret.clear();
  EXPECT_FALSE(store.Put(no_secret).ok());
  Authentication both = Sample();
  both.integration_url = "http://127.0.0.1:1";
  EXPECT_FALSE(store.Put(both).ok());
}

TEST_F(AuthStoreTest, CredentialsComeFromTheSubdomain) {
  absl::StatusOr<caspio::Credentials> credentials = Sample().ToCredentials();
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(credentials->integration_url, "https://b3poa.caspio.com");
  EXPECT_EQ(credentials->client_secret, "s3cr3t-value");
}

}  // namespace
}  // namespace caspio::cli
