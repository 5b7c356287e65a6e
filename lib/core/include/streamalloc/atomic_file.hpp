// streamalloc/atomic_file.hpp — replacing a file so that a crash leaves the old or the new one,
// safely in shared directories.
//
// Every file streamalloc writes for later runs (manifests, run records, checkpoints) is written
// to a temporary file in the target's directory, flushed to disk and renamed over the target:
// after a crash at any instant the target holds either its previous contents or the complete
// new ones, never a mixture. The temporary file has an unpredictable name
// (".<target name>.<16 random hex digits>.tmp") and is created with O_CREAT | O_EXCL |
// O_NOFOLLOW, so another user of a shared directory can neither plant a symbolic link there to
// make us overwrite one of their files nor make us write into a file they opened beforehand. A
// target that exists and is not a regular file (a device such as /dev/full, a directory, a
// FIFO, a socket, or a symbolic link, which is not followed) is refused: renaming over it would
// replace it. On failure the temporary file is removed.
//
// Serial, POSIX. Errors are io_error naming the target path and the system's reason.
// Thread safety: distinct objects may be used from distinct threads.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace streamalloc {

// Throws io_error naming `target` if it exists and is not a regular file (lstat: a symbolic
// link is refused, not followed).
void require_regular_target(const std::filesystem::path& target);

// Checks, before a long computation, that `target` can be (re)placed: it is absent or a regular
// file, its directory exists and is a directory, and a file can be created and written there
// (a probe file is created exclusively, one byte written, and removed — which also catches a
// full or read-only file system). Throws io_error naming `target` and the reason.
void require_writable_target(const std::filesystem::path& target);

// Creates a file that must not exist yet (O_CREAT | O_EXCL | O_NOFOLLOW, mode 0644 before the
// umask) and returns its descriptor, which the caller closes. Throws io_error naming `path`.
int create_exclusively(const std::filesystem::path& path);

// A file being written, which replaces `target` when committed.
class atomic_file {
 public:
  // Checks the target (require_regular_target) and creates the temporary file next to it.
  // `sync`: flush the data (fsync) before the rename; without it the replacement is still
  // atomic for readers and for a crash of the process, but not for a crash of the machine.
  // `sync_directory`: also flush the directory after the rename, so that the new file (rather
  // than the old one, both complete) is what a crash of the machine leaves.
  explicit atomic_file(std::filesystem::path target, bool sync = true, bool sync_directory = true);
  atomic_file(const atomic_file&) = delete;
  atomic_file& operator=(const atomic_file&) = delete;
  // Removes the temporary file unless commit() succeeded. Never throws.
  ~atomic_file();

  void write(std::string_view data);
  // Flushes, closes and renames the temporary file over the target (then syncs the directory).
  void commit();

  const std::filesystem::path& target() const noexcept { return target_; }
  const std::filesystem::path& temporary() const noexcept { return temp_; }

 private:
  [[noreturn]] void fail(const std::string& what) const;

  std::filesystem::path target_;
  std::filesystem::path temp_;
  int fd_ = -1;
  bool sync_ = true;
  bool sync_directory_ = true;
  bool committed_ = false;
};

// write(contents) and commit() on an atomic_file.
void write_file_atomically(const std::filesystem::path& target, std::string_view contents,
                           bool sync = true, bool sync_directory = true);

// Flushes the directory holding `file` to disk, so that a rename into it survives a crash of
// the machine. File systems that cannot sync directories (EINVAL) are tolerated.
void sync_directory_of(const std::filesystem::path& file);

// 16 hex digits from std::random_device: names nobody can predict.
std::string random_hex64();

}  // namespace streamalloc
