#include "cli_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace streamalloc::testing {
namespace {

[[noreturn]] void fail_errno(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

struct pipe_fds {
  int read = -1;
  int write = -1;
};

pipe_fds make_pipe() {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) fail_errno("pipe2");
  return {fds[0], fds[1]};
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Writes to a child that has exited or closed its stdin fail with EPIPE; the test process must
// survive that, so SIGPIPE is ignored here (the child gets the default action back).
void ignore_sigpipe_once() {
  static const bool done = [] {
    std::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)done;
}

}  // namespace

run_result run_program(const std::string& program, const std::vector<std::string>& args,
                       const run_options& options) {
  ignore_sigpipe_once();
  pipe_fds in = make_pipe();
  pipe_fds out = make_pipe();
  pipe_fds err = make_pipe();

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> words{program};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  const int spawned =
      ::posix_spawnp(&pid, program.c_str(), &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close_fd(in.read);
  close_fd(out.write);
  close_fd(err.write);
  if (spawned != 0) {
    close_fd(in.write);
    close_fd(out.read);
    close_fd(err.read);
    errno = spawned;
    fail_errno("cannot start " + program);
  }

  run_result result;
  std::size_t stdin_written = 0;
  if (options.stdin_data.empty()) {
    close_fd(in.write);
  } else if (::fcntl(in.write, F_SETFL, O_NONBLOCK) != 0) {
    fail_errno("fcntl");  // a blocking write could deadlock against a child blocked on output
  }
  std::array<char, 65536> block{};
  while (in.write >= 0 || out.read >= 0 || err.read >= 0) {
    std::array<pollfd, 3> polled{
        {{in.write, POLLOUT, 0}, {out.read, POLLIN, 0}, {err.read, POLLIN, 0}}};
    if (::poll(polled.data(), polled.size(), -1) < 0) {
      if (errno == EINTR) continue;
      fail_errno("poll");
    }
    if (in.write >= 0 && polled[0].revents != 0) {
      const std::size_t left = options.stdin_data.size() - stdin_written;
      const ssize_t n = ::write(in.write, options.stdin_data.data() + stdin_written, left);
      if (n > 0) stdin_written += static_cast<std::size_t>(n);
      if (n < 0 && errno != EINTR && errno != EAGAIN) close_fd(in.write);  // child stopped reading
      if (stdin_written == options.stdin_data.size()) close_fd(in.write);
    }
    for (std::size_t i = 1; i < 3; ++i) {
      if (polled[i].revents == 0) continue;
      int& fd = i == 1 ? out.read : err.read;
      std::string& sink = i == 1 ? result.out : result.err;
      const ssize_t n = ::read(fd, block.data(), block.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close_fd(fd);
        continue;
      }
      sink.append(block.data(), static_cast<std::size_t>(n));
      if (i == 1 && result.out.size() >= options.stdout_limit) {
        result.out.resize(options.stdout_limit);
        close_fd(fd);
      }
    }
  }

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) fail_errno("waitpid");
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

run_result run_cli(const std::vector<std::string>& args, const run_options& options) {
  return run_program(STREAMALLOC_CLI_PATH, args, options);
}

std::string describe_command(const std::vector<std::string>& args) {
  std::string out = "streamalloc";
  for (const auto& arg : args) {
    out += ' ';
    const bool plain = !arg.empty() && arg.find_first_of(" '\"\\$") == std::string::npos;
    out += plain ? arg : "'" + arg + "'";
  }
  return out;
}

}  // namespace streamalloc::testing
