#include "streamalloc/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

#include "streamalloc/error.hpp"

namespace streamalloc {
namespace {

std::filesystem::path directory_of(const std::filesystem::path& file) {
  return file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
}

[[noreturn]] void fail_at(const std::filesystem::path& target, const std::string& what, int err) {
  throw io_error(target.string() + ": " + what + ": " + std::strerror(err));
}

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISLNK(mode)) return "a symbolic link (not followed)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

std::string random_hex64() {
  std::random_device device;
  const std::uint64_t value = (std::uint64_t{device()} << 32) ^ device();
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

void require_regular_target(const std::filesystem::path& target) {
  struct stat info {};
  if (::lstat(target.c_str(), &info) != 0) {
    if (errno == ENOENT) return;
    fail_at(target, "cannot inspect the target", errno);
  }
  if (!S_ISREG(info.st_mode)) {
    throw io_error(target.string() + ": exists and is " + kind_of(info.st_mode) +
                   ", expected a regular file to replace (or no file)");
  }
}

int create_exclusively(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) fail_at(path, "cannot create", errno);
  return fd;
}

void require_writable_target(const std::filesystem::path& target) {
  require_regular_target(target);
  const auto dir = directory_of(target);
  struct stat info {};
  if (::stat(dir.c_str(), &info) != 0) fail_at(target, "directory " + dir.string(), errno);
  if (!S_ISDIR(info.st_mode)) {
    throw io_error(target.string() + ": " + dir.string() + " is not a directory");
  }
  const std::filesystem::path probe =
      dir / ("." + target.filename().string() + "." + random_hex64() + ".probe");
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) fail_at(target, "cannot create a file in " + dir.string(), errno);
  // One byte written (not synced): a full or read-only file system refuses it now (file
  // systems reserve the space when write() returns), and syncing would cost milliseconds.
  const char byte = '\n';
  ssize_t n = 0;
  do {
    n = ::write(fd, &byte, 1);
  } while (n < 0 && errno == EINTR);
  const int write_error = n == 1 ? 0 : (n < 0 ? errno : ENOSPC);
  ::close(fd);
  ::unlink(probe.c_str());
  if (write_error != 0) fail_at(target, "cannot write in " + dir.string(), write_error);
}

void sync_directory_of(const std::filesystem::path& file) {
  const auto dir = directory_of(file);
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail_at(file, "cannot open directory " + dir.string(), errno);
  const int synced = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (synced != 0 && err != EINVAL) fail_at(file, "cannot sync directory " + dir.string(), err);
}

atomic_file::atomic_file(std::filesystem::path target, bool sync, bool sync_directory)
    : target_(std::move(target)), sync_(sync), sync_directory_(sync && sync_directory) {
  require_regular_target(target_);
  // A name collision (or a file planted under a guessed name) is EEXIST: try other names.
  for (int attempt = 0; attempt < 16; ++attempt) {
    temp_ =
        directory_of(target_) / ("." + target_.filename().string() + "." + random_hex64() + ".tmp");
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd_ >= 0 || errno != EEXIST) break;
  }
  if (fd_ < 0) fail("cannot create a temporary file in " + directory_of(target_).string());
}

atomic_file::~atomic_file() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void atomic_file::fail(const std::string& what) const { fail_at(target_, what, errno); }

void atomic_file::write(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot write " + temp_.string());
    if (n == 0) {
      errno = ENOSPC;
      fail("cannot write " + temp_.string());
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

void atomic_file::commit() {
  if (sync_ && ::fsync(fd_) != 0) fail("cannot sync " + temp_.string());
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail("cannot close " + temp_.string());
  // The target was checked when this file was created; check again just before replacing it.
  require_regular_target(target_);
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    fail("cannot rename " + temp_.string() + " to " + target_.string());
  }
  committed_ = true;
  if (sync_directory_) sync_directory_of(target_);
}

void write_file_atomically(const std::filesystem::path& target, std::string_view contents,
                           bool sync, bool sync_directory) {
  atomic_file out(target, sync, sync_directory);
  out.write(contents);
  out.commit();
}

}  // namespace streamalloc
