// The Monte Carlo demo's checkpoint (apps/streamalloc-mc/checkpoint.cpp), read from an
// in-memory file as --resume-from reads it. Round trip: a checkpoint that reads is written with
// write_checkpoint (in $TMPDIR, else /dev/shm) and reads back with the same fields.
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "checkpoint.hpp"
#include "fuzz_support.hpp"
#include "streamalloc/error.hpp"

using namespace streamalloc;

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool same(const mc::checkpoint& a, const mc::checkpoint& b) {
  return a.streams == b.streams && a.base == b.base && a.histories == b.histories &&
         a.completed == b.completed && same_bits(a.geometry.thickness, b.geometry.thickness) &&
         same_bits(a.geometry.scattering_ratio, b.geometry.scattering_ratio) &&
         a.totals.histories == b.totals.histories && a.totals.fates == b.totals.fates &&
         a.totals.collisions == b.totals.collisions &&
         a.totals.collisions_squared == b.totals.collisions_squared &&
         a.totals.track_fixed == b.totals.track_fixed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const int fd = ::memfd_create("checkpoint", 0);
  static const std::filesystem::path input = "/proc/self/fd/" + std::to_string(fd);
  static const std::filesystem::path written = fuzz::scratch_directory("mc") / "run.ckpt";
  if (fd < 0 || ::ftruncate(fd, 0) != 0 || ::lseek(fd, 0, SEEK_SET) != 0) std::abort();
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n <= 0) std::abort();
    done += static_cast<std::size_t>(n);
  }
  try {
    const mc::checkpoint c = mc::read_checkpoint(input);
    mc::write_checkpoint(written, c);
    FUZZ_CHECK(same(mc::read_checkpoint(written), c));
  } catch (const error&) {
  }
  return 0;
}
