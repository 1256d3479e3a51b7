// The public data set the integration tests run on.
#ifndef CASPIO_TESTS_INTEGRATION_DATA_H_
#define CASPIO_TESTS_INTEGRATION_DATA_H_

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace caspio::testing {

// The content of a file of vega-datasets 3.2.1 (scripts/fetch-data.sh).
inline std::string VegaFile(const std::string& name) {
  std::string path = std::string(CASPIO_TEST_DATA_DIR) + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error(path + " is missing: run scripts/fetch-data.sh");
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace caspio::testing

#endif  // CASPIO_TESTS_INTEGRATION_DATA_H_
