// The `caspio` command. All logic is in commands.cc; this file only
// connects it to the process and catches what nothing else did.
#include <exception>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"

int main(int argc, char** argv) {
  try {
    caspio::cli::Io io = caspio::cli::StandardIo();
    return caspio::cli::RunCommandLine(argc, argv, io);
  } catch (const std::exception& e) {
    std::cerr << "caspio: unexpected error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "caspio: unexpected error\n";
  }
  return caspio::cli::kExitUnexpected;
}
