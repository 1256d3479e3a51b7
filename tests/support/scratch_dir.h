// A fresh directory for one test, under the system's temporary directory.
#ifndef CASPIO_TESTS_SUPPORT_SCRATCH_DIR_H_
#define CASPIO_TESTS_SUPPORT_SCRATCH_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace caspio::testing {

// Creates TMPDIR/caspio-PREFIX-?????? (mode 0700) and returns its path.
inline std::filesystem::path MakeScratchDirectory(std::string_view prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() /
                         ("caspio-" + std::string(prefix) + "-XXXXXX"))
                            .string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a directory like " + pattern);
  }
  return pattern;
}

}  // namespace caspio::testing

#endif  // CASPIO_TESTS_SUPPORT_SCRATCH_DIR_H_
