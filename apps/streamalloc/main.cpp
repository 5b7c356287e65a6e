// streamalloc — command-line access to streamalloc's NumPy-exact generators and seed sequences.
//
// main only dispatches to a subcommand and maps what it throws to the exit status: 0 for
// success (also --help, --version, and a reader closing our output pipe), 2 for every error, with
// exactly one line `streamalloc: error: <message>` on standard error so scripts can show it as is.
#include <csignal>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options/errors.hpp>

#include "commands.hpp"
#include "output_sink.hpp"
#include "streamalloc/error.hpp"

#ifndef STREAMALLOC_VERSION
#error "STREAMALLOC_VERSION must be defined by the build (the project() version)"
#endif

namespace {

constexpr int exit_error = 2;

constexpr const char* usage_text =
    "Usage: streamalloc <command> [options]\n"
    "\n"
    "Reproducible random streams, bit-exact with NumPy 1.24's numpy.random.\n"
    "\n"
    "Commands:\n"
    "  generate   draw values from a bit generator (pcg64, pcg64dxsm, philox, sfc64, mt19937)\n"
    "             as text or raw binary (for dieharder and PractRand)\n"
    "  seedseq    show a SeedSequence: its pool, generated state words and spawned children\n"
    "  audit      check run manifests for streams reused or overlapping across runs\n"
    "  stream     find one stream of a run's record (by task, ID, jump index or spawn path):\n"
    "             its NumPy expression, its state, or draws from it\n"
    "\n"
    "Options:\n"
    "  -h [ --help ]   show this help and exit\n"
    "  --version       print the version and exit\n"
    "\n"
    "Run 'streamalloc <command> --help' for the options of a command.\n"
    "Exit status: 0 on success, 2 on any error (reported as one line on standard error);\n"
    "audit exits 1 when it finds conflicts, stream when the record does not hold the stream.\n";

int fail(std::string message) {
  // One line, whatever the message holds: callers read exactly one line of diagnostics.
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::cerr << "streamalloc: error: " << message << std::endl;
  return exit_error;
}

int dispatch(const std::vector<std::string>& words) {
  if (words.empty()) {
    return fail(
        "no command given (expected generate, seedseq, audit or stream; see 'streamalloc --help')");
  }
  const std::string& command = words.front();
  const std::span<const std::string> rest(words.data() + 1, words.size() - 1);
  if (command == "generate") return streamalloc::cli::run_generate(rest);
  if (command == "seedseq") return streamalloc::cli::run_seedseq(rest);
  if (command == "audit") return streamalloc::cli::run_audit(rest);
  if (command == "stream") return streamalloc::cli::run_stream(rest);
  if (command == "--help" || command == "-h") {
    std::cout << usage_text;
    return 0;
  }
  if (command == "--version") {
    std::cout << "streamalloc " << STREAMALLOC_VERSION << '\n';
    return 0;
  }
  if (!command.empty() && command.front() == '-') {
    return fail(
        "unknown option '" + command +
        "' (expected a command, generate, seedseq, audit or stream, or --help or --version)");
  }
  return fail("unknown command '" + command + "' (expected generate, seedseq, audit or stream)");
}

}  // namespace

int main(int argc, char** argv) {
  // A closed output pipe must surface as EPIPE from write(2), not kill us: see output_sink.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    const std::vector<std::string> words(argv + 1, argv + argc);
    const int status = dispatch(words);
    std::cout.flush();
    return status;
  } catch (const streamalloc::cli::output_closed&) {
    return 0;
  } catch (const streamalloc::error& e) {
    return fail(e.what());
  } catch (const boost::program_options::error& e) {
    return fail(e.what());
  } catch (const std::exception& e) {
    return fail(e.what());
  } catch (...) {
    return fail("unexpected failure of unknown type");
  }
}
