// The file token cache: tokens shared by processes through a directory.
#include "client/file_token_cache.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

#include "caspio/client.h"
#include "caspio/token.h"
#include "client/token_sources.h"
#include "fakes.h"

namespace caspio {
namespace {

using std::chrono::seconds;
using testing::FakeClock;
namespace fs = std::filesystem;

// Hands out "token-N" (N counting calls across every source sharing
// `calls`), valid for `lifetime` on the clock, after `delay`.
class FakeInner : public TokenSource {
 public:
  FakeInner(std::shared_ptr<Clock> clock,
            std::shared_ptr<std::atomic<int>> calls,
            seconds lifetime = seconds(3600),
            std::chrono::milliseconds delay = std::chrono::milliseconds(0))
      : clock_(std::move(clock)),
        calls_(std::move(calls)),
        lifetime_(lifetime),
        delay_(delay) {}

  absl::StatusOr<AccessToken> GetToken() override {
    const int n = ++*calls_;
    std::this_thread::sleep_for(delay_);
    AccessToken token;
    token.value = "token-" + std::to_string(n);
    token.issued_at = clock_->Now();
    token.expires_at = token.issued_at + lifetime_;
    return token;
  }
  void Invalidate(std::string_view) override {}

 private:
  std::shared_ptr<Clock> clock_;
  std::shared_ptr<std::atomic<int>> calls_;
  seconds lifetime_;
  std::chrono::milliseconds delay_;
};

class FileTokenCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = caspio::testing::MakeScratchDirectory("tokens");
    dir_ = root_ / "cache" / "tokens";
  }
  void TearDown() override { fs::remove_all(root_); }

  // One "process": a cache of its own over an inner source of its own.
  std::shared_ptr<FileTokenCache> Cache(
      const Credentials& credentials, seconds lifetime = seconds(3600),
      std::chrono::milliseconds delay = std::chrono::milliseconds(0)) {
    return std::make_shared<FileTokenCache>(
        std::make_shared<FakeInner>(clock_, calls_, lifetime, delay),
        credentials, dir_, clock_, seconds(300));
  }
  std::shared_ptr<FileTokenCache> Cache() { return Cache(credentials_); }

  fs::path TokenFile(const FileTokenCache& cache) const {
    return dir_ / cache.token_file_name();
  }

  static std::string Value(const absl::StatusOr<AccessToken>& token) {
    return token.ok() ? token->value : token.status().ToString();
  }

  fs::path root_;
  fs::path dir_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::shared_ptr<std::atomic<int>> calls_ =
      std::make_shared<std::atomic<int>>(0);
  Credentials credentials_{.integration_url = "https://c0abc123.caspio.com",
                           .client_id = "the-client-id",
                           .client_secret = "the-client-secret"};
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

TEST_F(FileTokenCacheTest, ASecondProcessReusesTheToken) {
  EXPECT_EQ(Value(Cache()->GetToken()), "token-1");
  auto second = Cache();
  EXPECT_EQ(Value(second->GetToken()), "token-1");
  EXPECT_EQ(Value(second->GetToken()), "token-1");
  EXPECT_EQ(*calls_, 1);
}

TEST_F(FileTokenCacheTest, AnyChangeOfProfileMisses) {
  EXPECT_EQ(Value(Cache()->GetToken()), "token-1");

  Credentials secret = credentials_;
  secret.client_secret = "a-new-secret";
  EXPECT_EQ(Value(Cache(secret)->GetToken()), "token-2");
  Credentials port = credentials_;
  port.integration_url = "https://c0abc123.caspio.com:8443";
  EXPECT_EQ(Value(Cache(port)->GetToken()), "token-3");
  Credentials id = credentials_;
  id.client_id = "another-client-id";
  EXPECT_EQ(Value(Cache(id)->GetToken()), "token-4");

  EXPECT_EQ(Value(Cache()->GetToken()), "token-1");
  EXPECT_EQ(*calls_, 4);
}

TEST_F(FileTokenCacheTest, FilesRevealNeitherIdNorSecret) {
  auto cache = Cache();
  ASSERT_TRUE(cache->GetToken().ok());
  for (const auto& entry : fs::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(name.find("client"), std::string::npos) << name;
    const std::string content = ContentOf(entry.path());
    EXPECT_EQ(content.find(credentials_.client_secret), std::string::npos);
    EXPECT_EQ(content.find(credentials_.client_id), std::string::npos);
  }
  EXPECT_EQ(cache->token_file_name(), TokenCacheKey(credentials_) + ".json");
  EXPECT_EQ(TokenCacheKey(credentials_).size(), 64u);
}

TEST_F(FileTokenCacheTest, DirectoryIs0700AndFilesAre0600) {
  auto cache = Cache();
  ASSERT_TRUE(cache->GetToken().ok());
  EXPECT_EQ(ModeOf(dir_), 0700u);
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(ModeOf(entry.path()), 0600u) << entry.path();
    ++files;
  }
  EXPECT_EQ(files, 2);  // the token and its lock
}

TEST_F(FileTokenCacheTest, AnOpenDirectoryIsRestricted) {
  fs::create_directories(dir_);
  ASSERT_EQ(::chmod(dir_.c_str(), 0755), 0);
  ASSERT_TRUE(Cache()->GetToken().ok());
  EXPECT_EQ(ModeOf(dir_), 0700u);
}

TEST_F(FileTokenCacheTest, RenewsSkewBeforeExpiry) {
  ASSERT_EQ(Value(Cache()->GetToken()), "token-1");
  clock_->Advance(seconds(3299));
  EXPECT_EQ(Value(Cache()->GetToken()), "token-1");
  clock_->Advance(seconds(1));  // 300 s before expiry
  EXPECT_EQ(Value(Cache()->GetToken()), "token-2");
  EXPECT_EQ(Value(Cache()->GetToken()), "token-2");
}

TEST_F(FileTokenCacheTest, ShortLifetimesAreUsedForHalfTheirLength) {
  ASSERT_EQ(Value(Cache(credentials_, seconds(60))->GetToken()), "token-1");
  clock_->Advance(seconds(29));
  EXPECT_EQ(Value(Cache()->GetToken()), "token-1");
  clock_->Advance(seconds(1));
  EXPECT_EQ(Value(Cache()->GetToken()), "token-2");
}

TEST_F(FileTokenCacheTest, InvalidateRemovesOnlyItsOwnToken) {
  auto first = Cache();
  ASSERT_EQ(Value(first->GetToken()), "token-1");

  first->Invalidate("some-other-token");
  EXPECT_EQ(Value(Cache()->GetToken()), "token-1");

  // A second process is refused token-1 and fetches token-2; the first
  // one, refused token-1 a moment later, must not throw token-2 away.
  auto second = Cache();
  second->Invalidate("token-1");
  EXPECT_FALSE(fs::exists(TokenFile(*second)));
  EXPECT_EQ(Value(second->GetToken()), "token-2");
  first->Invalidate("token-1");
  EXPECT_EQ(Value(Cache()->GetToken()), "token-2");
  EXPECT_EQ(*calls_, 2);
}

TEST_F(FileTokenCacheTest, CorruptFilesAreIgnoredAndReplaced) {
  auto cache = Cache();
  fs::create_directories(dir_);
  for (const char* junk :
       {"", "not json", "[]", R"({"version":1})",
        R"({"version":1,"access_token":"","expires_at_ms":1,"issued_at_ms":1})",
        R"({"version":1,"access_token":"x","expires_at_ms":"soon",)"
        R"("issued_at_ms":1})",
        R"({"version":99,"access_token":"x","expires_at_ms":1,)"
        R"("issued_at_ms":1})"}) {
    {
      std::ofstream out(TokenFile(*cache), std::ios::trunc);
      out << junk;
    }
    ::chmod(TokenFile(*cache).c_str(), 0600);
    const int before = *calls_;
    absl::StatusOr<AccessToken> token = cache->GetToken();
    ASSERT_TRUE(token.ok()) << junk;
    EXPECT_EQ(*calls_, before + 1) << junk;
    EXPECT_EQ(Value(Cache()->GetToken()), token->value) << junk;
  }
}

TEST_F(FileTokenCacheTest, FilesOthersCouldReadOrRedirectAreIgnored) {
  auto cache = Cache();
  ASSERT_EQ(Value(cache->GetToken()), "token-1");
  ASSERT_EQ(::chmod(TokenFile(*cache).c_str(), 0644), 0);
  EXPECT_EQ(Value(Cache()->GetToken()), "token-2");
  EXPECT_EQ(ModeOf(TokenFile(*cache)), 0600u);

  // A symbolic link is neither followed for reading nor written through.
  const fs::path target = root_ / "elsewhere";
  { std::ofstream(target) << "keep"; }
  fs::remove(TokenFile(*cache));
  fs::create_symlink(target, TokenFile(*cache));
  EXPECT_EQ(Value(Cache()->GetToken()), "token-3");
  EXPECT_EQ(ContentOf(target), "keep");
  EXPECT_FALSE(fs::is_symlink(TokenFile(*cache)));
}

TEST_F(FileTokenCacheTest, AnUnusableDirectoryOnlyCostsTokenRequests) {
  fs::create_directories(dir_.parent_path());
  { std::ofstream(dir_) << "a file where the directory should be"; }
  EXPECT_EQ(Value(Cache()->GetToken()), "token-1");
  EXPECT_EQ(Value(Cache()->GetToken()), "token-2");
}

TEST_F(FileTokenCacheTest, RefreshSkipsTheFileAndStoresTheNewToken) {
  ASSERT_EQ(Value(Cache()->GetToken()), "token-1");
  EXPECT_EQ(Value(Cache()->Refresh()), "token-2");
  EXPECT_EQ(Value(Cache()->GetToken()), "token-2");
}

TEST_F(FileTokenCacheTest, ConcurrentThreadsShareOneRequest) {
  std::vector<std::thread> threads;
  std::vector<std::string> values(8);
  for (int i = 0; i < 8; ++i) {
    auto cache =
        Cache(credentials_, seconds(3600), std::chrono::milliseconds(50));
    threads.emplace_back(
        [cache, &values, i] { values[i] = Value(cache->GetToken()); });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(*calls_, 1);
  for (const std::string& value : values) EXPECT_EQ(value, "token-1");
}

// Each child process asks once and exits with the number of token requests
// it made (0 or 1), or 2 on an error; they all start when the pipe closes.
TEST_F(FileTokenCacheTest, ConcurrentProcessesShareOneRequest) {
  constexpr int kProcesses = 6;
  int start[2];
  ASSERT_EQ(::pipe(start), 0);
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(start[1]);
      char byte;
      while (::read(start[0], &byte, 1) < 0 && errno == EINTR) {
      }
      auto calls = std::make_shared<std::atomic<int>>(0);
      FileTokenCache cache(
          std::make_shared<FakeInner>(clock_, calls, seconds(3600),
                                      std::chrono::milliseconds(100)),
          credentials_, dir_, clock_, seconds(300));
      absl::StatusOr<AccessToken> token = cache.GetToken();
      ::_exit(token.ok() ? calls->load() : 2);
    }
    children.push_back(pid);
  }
  ::close(start[0]);
  ::close(start[1]);

  int requests = 0;
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_NE(WEXITSTATUS(status), 2);
    requests += WEXITSTATUS(status);
  }
  EXPECT_EQ(requests, 1);
  EXPECT_EQ(Value(Cache()->GetToken()), "token-1");  // the children's
  EXPECT_EQ(*calls_, 0);
}

// ---- through Client, as MakeClientTokenSource assembles it ----------------

class SharedClientTokenTest : public FileTokenCacheTest {
 protected:
  Client NewClient(std::shared_ptr<testing::FakeTransport> transport) {
    ClientOptions options;
    options.transport_override = std::move(transport);
    options.clock = clock_;
    options.token_cache_dir = dir_.string();
    auto client = Client::Create(credentials_, std::move(options));
    EXPECT_TRUE(client.ok()) << client.status();
    return *std::move(client);
  }
};

TEST_F(SharedClientTokenTest, ClientsShareTokensAndRefreshRenewsThem) {
  auto first = std::make_shared<testing::FakeTransport>();
  first->Answer(200, R"({"Result":[]})");
  ASSERT_TRUE(NewClient(first).ListTables().ok());
  EXPECT_EQ(first->token_requests(), 1);

  auto second = std::make_shared<testing::FakeTransport>();
  second->Answer(200, R"({"Result":[]})");
  Client client = NewClient(second);
  ASSERT_TRUE(client.ListTables().ok());
  EXPECT_EQ(second->token_requests(), 0);

  // `caspio auth test`: a new token, whatever the file holds.
  second->AnswerToken(200,
                      R"({"access_token":"refreshed","token_type":"bearer",)"
                      R"("expires_in":3600})");
  ASSERT_TRUE(client.RefreshToken().ok());
  EXPECT_EQ(second->token_requests(), 1);

  auto third = std::make_shared<testing::FakeTransport>();
  third->Answer(200, R"({"Result":[]})");
  ASSERT_TRUE(NewClient(third).ListTables().ok());
  EXPECT_EQ(third->token_requests(), 0);
  ASSERT_EQ(third->api_requests().size(), 1u);
  EXPECT_EQ(testing::HeaderOf(third->api_requests()[0], "Authorization"),
            "Bearer refreshed");
}

TEST_F(SharedClientTokenTest, ARefusedTokenLeavesTheFileToo) {
  auto first = std::make_shared<testing::FakeTransport>();
  first->Answer(200, R"({"Result":[]})");
  Client client = NewClient(first);
  ASSERT_TRUE(client.ListTables().ok());

  first->Answer(401, R"({"Message":"expired"})");
  first->Answer(200, R"({"Result":[]})");
  ASSERT_TRUE(client.ListTables().ok());
  EXPECT_EQ(first->token_requests(), 2);
  const std::string renewed =
      testing::HeaderOf(first->api_requests().back(), "Authorization");

  auto second = std::make_shared<testing::FakeTransport>();
  second->Answer(200, R"({"Result":[]})");
  ASSERT_TRUE(NewClient(second).ListTables().ok());
  EXPECT_EQ(second->token_requests(), 0);
  EXPECT_EQ(testing::HeaderOf(second->api_requests()[0], "Authorization"),
            renewed);
}

}  // namespace
}  // namespace caspio
