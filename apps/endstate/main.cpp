// endstate: decision support for the conditions-based transition of UN peace operations.
#include <iostream>

#include "cli.hpp"

int main(int argc, char** argv) { return endstate::cli::run(argc, argv, std::cout, std::cerr); }
