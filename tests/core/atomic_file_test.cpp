// atomic_file.hpp in a shared directory: planted symbolic links are neither followed nor
// replaced, a target that is not a regular file is refused, temporaries are unpredictable and
// never left behind.
#include "support/scratch_directory.hpp"
#include "streamalloc/atomic_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "streamalloc/error.hpp"

namespace streamalloc {
namespace {

namespace fs = std::filesystem;

class AtomicFile : public streamalloc::testing::scratch_directory_test {
 protected:
  AtomicFile() : scratch_directory_test("atomic") {}

  std::size_t entries() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++n;
    return n;
  }
};

template <class F>
std::string io_error_of(F&& f) {
  try {
    f();
  } catch (const io_error& e) {
    return e.what();
  }
  return "(no io_error)";
}

TEST_F(AtomicFile, ReplacesTheTargetAndLeavesNoTemporary) {
  const fs::path target = dir_ / "m.jsonl";
  write_file_atomically(target, "one\n");
  write_file_atomically(target, "two\n");
  EXPECT_EQ(slurp(target), "two\n");
  EXPECT_EQ(entries(), 1U);
}

TEST_F(AtomicFile, ASymbolicLinkAsTheTargetIsRefusedNotFollowed) {
  const fs::path victim = dir_ / "victim";
  std::ofstream(victim) << "precious";
  const fs::path link = dir_ / "m.jsonl";
  fs::create_symlink(victim, link);
  const std::string message = io_error_of([&] { write_file_atomically(link, "overwritten"); });
  EXPECT_NE(message.find(link.string()), std::string::npos) << message;
  EXPECT_EQ(slurp(victim), "precious");
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(entries(), 2U);  // nothing else created
}

TEST_F(AtomicFile, TargetsThatAreNotRegularFilesAreRefused) {
  const fs::path fifo = dir_ / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const fs::path directory = dir_ / "directory";
  fs::create_directory(directory);
  for (const fs::path& target : {fifo, directory, fs::path("/dev/null")}) {
    const std::string message = io_error_of([&] { write_file_atomically(target, "x"); });
    EXPECT_NE(message.find(target.string()), std::string::npos) << message;
    EXPECT_NE(message.find("exists and is"), std::string::npos) << message;
    EXPECT_NE(io_error_of([&] { require_writable_target(target); }), "(no io_error)") << target;
  }
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

TEST_F(AtomicFile, TemporaryNamesAreUnpredictableAndCreatedExclusively) {
  const fs::path target = dir_ / "m.jsonl";
  std::set<std::string> names;
  for (int i = 0; i < 64; ++i) {
    atomic_file file(target);
    names.insert(file.temporary().filename().string());
    EXPECT_EQ(file.temporary().parent_path(), dir_);
  }  // never committed: each removed by its destructor
  EXPECT_EQ(names.size(), 64U);
  EXPECT_EQ(entries(), 0U);
  // A file planted under a name create_exclusively() is asked for is never opened.
  const fs::path planted = dir_ / "planted";
  std::ofstream(planted) << "theirs";
  EXPECT_NE(io_error_of([&] { create_exclusively(planted); }).find(planted.string()),
            std::string::npos);
  EXPECT_EQ(slurp(planted), "theirs");
}

TEST_F(AtomicFile, AMissingDirectoryIsFoundBeforeAnythingIsWritten) {
  const fs::path target = dir_ / "missing" / "m.jsonl";
  const std::string message = io_error_of([&] { require_writable_target(target); });
  EXPECT_NE(message.find(target.string()), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(dir_ / "missing"));
}

}  // namespace
}  // namespace streamalloc
