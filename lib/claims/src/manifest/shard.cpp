// The serial pieces of run records (record_shard.hpp): shards appended by their ranks, and the
// manifest that commits them.
#include "streamalloc/claims/record_shard.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "src/manifest/claim_text.hpp"
#include "src/manifest/manifest_json.hpp"
#include "src/manifest/sealed_line.hpp"
#include "streamalloc/atomic_file.hpp"
#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/claims/record_json.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {
namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what, int err) {
  throw io_error(file.string() + ": " + what + ": " + std::strerror(err));
}

// Writes all of `data` at `offset`.
void write_at(int fd, const std::filesystem::path& file, std::string_view data,
              std::uint64_t offset) {
  while (!data.empty()) {
    const ssize_t n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(file, "cannot write", errno);
    if (n == 0) fail(file, "cannot write", ENOSPC);
    data.remove_prefix(static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
}

}  // namespace

std::filesystem::path shard_directory(const std::filesystem::path& manifest,
                                      const std::string& run) {
  return std::filesystem::path(manifest.string() + "." + run + ".d");
}

std::filesystem::path shard_file(const std::filesystem::path& manifest, const std::string& run,
                                 std::uint32_t shard) {
  return shard_directory(manifest, run) / (std::to_string(shard) + ".jsonl");
}

shard_writer::shard_writer(std::filesystem::path file, std::string run, std::uint32_t shard)
    : file_(std::move(file)), shard_(shard) {
  detail::check_run_id(run, file_.string() + ": run");
  fd_ = create_exclusively(file_);
  const std::string header =
      detail::seal(dump_json(json{{"streamalloc_shard", 3}, {"run", run}, {"shard", shard}}), shard,
                   1) +
      "\n";
  try {
    write_at(fd_, file_, header, 0);
  } catch (...) {
    ::close(fd_);
    fd_ = -1;
    throw;
  }
  end_offset_ = header.size();
}

shard_writer::~shard_writer() {
  if (fd_ >= 0) ::close(fd_);
}

std::uint64_t shard_writer::append(std::span<const entry> entries, bool sync) {
  std::string buffer;
  std::uint64_t line = lines_ + 1;  // the header is line 1
  std::uint64_t claims = 0;
  std::string object;
  for (const entry& e : entries) {
    object.clear();
    if (e.update) {
      object = "{\"update\": true, ";
      std::string rest;
      detail::append_claim_text(rest, e.what);
      object.append(rest, 1);  // without its '{'
    } else {
      detail::append_claim_text(object, e.what);
      ++claims;
    }
    buffer += detail::seal(object, shard_, ++line);
    buffer += '\n';
  }
  write_at(fd_, file_, buffer, end_offset_);
  if (sync && ::fdatasync(fd_) != 0) fail(file_, "cannot sync", errno);
  end_offset_ += buffer.size();
  lines_ += entries.size();
  claims_ += claims;
  return lines_;
}

void write_record_manifest(const record_manifest& m, bool sync) {
  std::uint64_t line = 0;
  const auto sealed = [&](const json& object) {
    return detail::seal(dump_json(object), detail::manifest_domain, ++line) + "\n";
  };
  std::string text = sealed(
      detail::header_json(manifest_format, m.campaign, m.job, m.ranks, m.run, m.resumed_from));
  for (std::uint32_t r = 0; r < m.shard_lines.size(); ++r) {
    const std::filesystem::path name =
        shard_file(m.path.filename(), m.run, r);  // relative to the manifest's directory
    text += sealed(json{{"shard", r}, {"file", name.string()}, {"lines", m.shard_lines[r]}});
  }
  text += sealed(
      json{{"end", true}, {"claims", m.claims}, {"commit", m.commit}, {"complete", m.complete}});
  // The manifest's data is synced before the rename (a crash of the machine then leaves the old
  // or the new manifest, both naming complete lines), not the directory after it: whichever of
  // the two a crash leaves is a consistent record, and the sync would cost milliseconds.
  write_file_atomically(m.path, text, sync, false);
}

}  // namespace streamalloc::claims
