// Whole manifest files (read_manifest: header, claim lines, footer), read from an in-memory file
// (memfd) so that no input touches the disk. Round trip: a manifest that reads is written with
// write_manifest (into a directory in $TMPDIR, else /dev/shm) and reads back equal.
#include <sys/mman.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>

#include "fuzz_support.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/claims/manifest.hpp"

using namespace streamalloc;

namespace {

bool same(const claims::manifest& a, const claims::manifest& b) {
  return a.campaign == b.campaign && a.job == b.job && a.ranks == b.ranks && a.claims == b.claims;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const int fd = ::memfd_create("manifest", 0);
  static const std::filesystem::path input = "/proc/self/fd/" + std::to_string(fd);
  static const std::filesystem::path written =
      fuzz::scratch_directory("manifest") / "written.jsonl";
  if (fd < 0 || ::ftruncate(fd, 0) != 0 || ::lseek(fd, 0, SEEK_SET) != 0) std::abort();
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n <= 0) std::abort();
    done += static_cast<std::size_t>(n);
  }
  std::optional<claims::manifest> read;
  try {
    read = claims::read_manifest(input);
  } catch (const error&) {
    return 0;
  }
  const claims::manifest& m = *read;
  // What reads must write (a writer that refuses it would make a resumed run fail) and read back.
  try {
    claims::write_manifest(written, m);
  } catch (const invalid_argument& e) {
    std::fprintf(stderr, "read_manifest accepted what write_manifest refuses: %s\n", e.what());
    std::abort();
  }
  FUZZ_CHECK(same(claims::read_manifest(written), m));
  return 0;
}
