// Test support: a fixture owning an empty directory per test (serial suites; the MPI suites
// need one path on every rank and make their own).
#pragma once

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace streamalloc::testing {

// dir_ is <tmp>/streamalloc_<prefix>_<pid>_<test name>, created empty before each test and
// removed after it.
class scratch_directory_test : public ::testing::Test {
 protected:
  explicit scratch_directory_test(std::string prefix) : prefix_(std::move(prefix)) {}

  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("streamalloc_" + prefix_ + "_" + std::to_string(::getpid()) + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path file(const std::string& name) const { return dir_ / name; }

  // The whole file as bytes, and a file replaced by `text`.
  static std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static void spit(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
  }

  std::filesystem::path dir_;

 private:
  std::string prefix_;
};

}  // namespace streamalloc::testing
