// Files private to the user: a 0700 directory of theirs holding 0600 files
// that are replaced atomically and locked with flock (internal; used by the
// file token cache and by the `caspio` command's stores).
#ifndef CASPIO_SRC_CLIENT_PRIVATE_FILE_H_
#define CASPIO_SRC_CLIENT_PRIVATE_FILE_H_

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace caspio::internal {

// Closes a file descriptor (and so releases its flock) when it goes.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept;
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  ~UniqueFd();

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_;
};

// An exclusive flock, released when the object goes. Move-only.
class FileLock {
 public:
  explicit FileLock(UniqueFd fd) : fd_(std::move(fd)) {}

 private:
  UniqueFd fd_;
};

// Whether PrivateDirectory::Open may create a missing directory.
enum class Creation { kCreate, kExistingOnly };

// What PrivateDirectory::Read does with a file of the user's that others
// may read or write.
enum class LaxFile {
  kRefuse,    // PermissionDenied: the content may have been seen or forged
  kRestrict,  // restricted to 0600 first, then read
};

// A directory owned by the user with no access for anyone else, held open:
// its files are reached relative to it, so renaming or replacing the path
// meanwhile cannot redirect them. Member functions take a plain file name.
// Every file is opened with O_NOFOLLOW: a symbolic link is refused, never
// followed. Not thread-safe; open one per use.
class PrivateDirectory {
 public:
  // Opens `path`, creating it 0700 (and any missing parent) with kCreate.
  // A directory of the user's that others may use is restricted to 0700.
  // Errors: NotFound when missing with kExistingOnly; PermissionDenied when
  // it cannot be created or opened, is a symbolic link or not a directory,
  // or belongs to someone else.
  static absl::StatusOr<PrivateDirectory> Open(
      const std::filesystem::path& path, Creation creation);

  const std::filesystem::path& path() const { return path_; }

  // The whole of file `name`, through short reads and EINTR. Errors:
  // NotFound when absent; PermissionDenied when it is a symbolic link, not
  // a regular file, someone else's, or lax and refused (LaxFile);
  // FailedPrecondition when larger than `max_size` bytes.
  absl::StatusOr<std::string> Read(const std::string& name,
                                   std::size_t max_size, LaxFile lax) const;

  // Replaces file `name` with `text` at once: readers see the old file or
  // the new one, never a part. The text goes to a temporary file created
  // exclusively (O_EXCL) and 0600, is synced, then renamed over `name`.
  // Errors: PermissionDenied, naming the file and the reason.
  absl::Status Replace(const std::string& name, std::string_view text) const;

  // Waits for an exclusive flock on file `name`, created 0600 when missing.
  // Errors: PermissionDenied.
  absl::StatusOr<FileLock> Lock(const std::string& name) const;

  // Removes file `name`; OK when it is already gone.
  absl::Status Remove(const std::string& name) const;

 private:
  PrivateDirectory(UniqueFd fd, std::filesystem::path path)
      : fd_(std::move(fd)), path_(std::move(path)) {}

  std::string Describe(const std::string& name) const;

  UniqueFd fd_;
  std::filesystem::path path_;
};

// PrivateDirectory::Read of `file` in its existing directory; NotFound when
// either is missing.
absl::StatusOr<std::string> ReadPrivateFile(const std::filesystem::path& file,
                                            std::size_t max_size, LaxFile lax);

// PrivateDirectory::Replace of `file`, creating its directory when missing.
absl::Status ReplacePrivateFile(const std::filesystem::path& file,
                                std::string_view text);

}  // namespace caspio::internal

#endif  // CASPIO_SRC_CLIENT_PRIVATE_FILE_H_
