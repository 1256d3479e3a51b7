#include "client/private_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace caspio::internal {
namespace {

std::string ErrnoText(int error) { return std::strerror(error); }

bool IsOurs(const struct stat& st) { return st.st_uid == ::geteuid(); }

// The directory a file name is relative to.
std::filesystem::path DirectoryOf(const std::filesystem::path& file) {
  std::filesystem::path dir = file.parent_path();
  return dir.empty() ? std::filesystem::path(".") : dir;
}

// Writes all of `data` to `fd`, through short writes and EINTR.
bool WriteAll(int fd, std::string_view data) {
  std::size_t written = 0;
  while (written < data.size()) {
    ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

// Up to `limit` bytes of `fd`, through short reads and EINTR.
bool ReadUpTo(int fd, std::size_t limit, std::string& text) {
  text.assign(limit, '\0');
  std::size_t size = 0;
  while (size < limit) {
    ssize_t n = ::read(fd, text.data() + size, limit - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    size += static_cast<std::size_t>(n);
  }
  text.resize(size);
  return true;
}

// Readers must see 0600 even under a umask that would leave less or more.
bool MakeOwnerOnly(int fd, const struct stat& st, mode_t mode) {
  return (st.st_mode & 0777) == mode || ::fchmod(fd, mode) == 0;
}

}  // namespace

UniqueFd::UniqueFd(UniqueFd&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)) {}

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  std::swap(fd_, other.fd_);
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

absl::StatusOr<PrivateDirectory> PrivateDirectory::Open(
    const std::filesystem::path& path, Creation creation) {
  if (creation == Creation::kCreate) {
    std::error_code ignored;  // mkdir reports what matters
    std::filesystem::create_directories(path.parent_path(), ignored);
    if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
      return absl::PermissionDeniedError("cannot create " + path.string() +
                                         ": " + ErrnoText(errno));
    }
  }
  UniqueFd fd(
      ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid() && errno == ENOENT) {
    return absl::NotFoundError(path.string() + " does not exist");
  }
  if (!fd.valid()) {
    return absl::PermissionDeniedError("cannot open the directory " +
                                       path.string() + ": " + ErrnoText(errno));
  }

  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !IsOurs(st)) {
    return absl::PermissionDeniedError(path.string() +
                                       " belongs to someone else");
  }
  if (!MakeOwnerOnly(fd.get(), st, 0700)) {
    return absl::PermissionDeniedError("cannot restrict " + path.string() +
                                       " to 0700: " + ErrnoText(errno));
  }
  return PrivateDirectory(std::move(fd), path);
}

absl::StatusOr<std::string> PrivateDirectory::Read(const std::string& name,
                                                   std::size_t max_size,
                                                   LaxFile lax) const {
  // O_NONBLOCK: a FIFO planted here must not hang the open.
  UniqueFd fd(::openat(fd_.get(), name.c_str(),
                       O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid() && errno == ENOENT) {
    return absl::NotFoundError(Describe(name) + " does not exist");
  }
  if (!fd.valid()) {
    return absl::PermissionDeniedError(
        "cannot read " + Describe(name) + ": " +
        (errno == ELOOP ? "it is a symbolic link" : ErrnoText(errno)));
  }

  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || !IsOurs(st)) {
    return absl::PermissionDeniedError("cannot read " + Describe(name) +
                                       ": not a regular file of this user's");
  }
  if ((st.st_mode & 077) != 0 &&
      (lax == LaxFile::kRefuse || ::fchmod(fd.get(), 0600) != 0)) {
    return absl::PermissionDeniedError("cannot read " + Describe(name) +
                                       ": other users may read or write it");
  }
  if (static_cast<std::size_t>(st.st_size) > max_size) {
    return absl::FailedPreconditionError(Describe(name) + " is over " +
                                         std::to_string(max_size) + " bytes");
  }

  // One byte past the limit tells a file that grew meanwhile.
  std::string text;
  if (!ReadUpTo(fd.get(), max_size + 1, text)) {
    return absl::PermissionDeniedError("cannot read " + Describe(name) + ": " +
                                       ErrnoText(errno));
  }
  if (text.size() > max_size) {
    return absl::FailedPreconditionError(Describe(name) + " is over " +
                                         std::to_string(max_size) + " bytes");
  }
  return text;
}

absl::Status PrivateDirectory::Replace(const std::string& name,
                                       std::string_view text) const {
  static std::atomic<unsigned> counter{0};
  for (int tries = 0; tries < 16; ++tries) {
    const std::string temp = "." + name + ".tmp." + std::to_string(::getpid()) +
                             "." + std::to_string(counter++);
    UniqueFd fd(::openat(fd_.get(), temp.c_str(),
                         O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                         0600));
    if (!fd.valid() && errno == EEXIST) continue;  // left by a dead process
    if (!fd.valid()) {
      return absl::PermissionDeniedError("cannot create a file in " +
                                         path_.string() + ": " +
                                         ErrnoText(errno));
    }
    if (::fchmod(fd.get(), 0600) == 0 && WriteAll(fd.get(), text) &&
        ::fsync(fd.get()) == 0 &&
        ::renameat(fd_.get(), temp.c_str(), fd_.get(), name.c_str()) == 0) {
      return absl::OkStatus();
    }
    const int error = errno;
    ::unlinkat(fd_.get(), temp.c_str(), 0);
    return absl::PermissionDeniedError("cannot write " + Describe(name) + ": " +
                                       ErrnoText(error));
  }
  return absl::PermissionDeniedError("cannot create a temporary file in " +
                                     path_.string());
}

absl::StatusOr<FileLock> PrivateDirectory::Lock(const std::string& name) const {
  UniqueFd fd(::openat(fd_.get(), name.c_str(),
                       O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) {
    return absl::PermissionDeniedError("cannot open " + Describe(name) + ": " +
                                       ErrnoText(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || !IsOurs(st)) {
    return absl::PermissionDeniedError("cannot lock " + Describe(name) +
                                       ": not a regular file of this user's");
  }
  while (::flock(fd.get(), LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    return absl::PermissionDeniedError("cannot lock " + Describe(name) + ": " +
                                       ErrnoText(errno));
  }
  return FileLock(std::move(fd));
}

absl::Status PrivateDirectory::Remove(const std::string& name) const {
  if (::unlinkat(fd_.get(), name.c_str(), 0) == 0 || errno == ENOENT) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError("cannot remove " + Describe(name) + ": " +
                                     ErrnoText(errno));
}

std::string PrivateDirectory::Describe(const std::string& name) const {
  return (path_ / name).string();
}

absl::StatusOr<std::string> ReadPrivateFile(const std::filesystem::path& file,
                                            std::size_t max_size, LaxFile lax) {
  absl::StatusOr<PrivateDirectory> dir =
      PrivateDirectory::Open(DirectoryOf(file), Creation::kExistingOnly);
  if (!dir.ok()) return dir.status();
  return dir->Read(file.filename().string(), max_size, lax);
}

absl::Status ReplacePrivateFile(const std::filesystem::path& file,
                                std::string_view text) {
  absl::StatusOr<PrivateDirectory> dir =
      PrivateDirectory::Open(DirectoryOf(file), Creation::kCreate);
  if (!dir.ok()) return dir.status();
  return dir->Replace(file.filename().string(), text);
}

}  // namespace caspio::internal
