#include "streamalloc/stream_ids.hpp"

namespace streamalloc {

std::string task_path::to_string() const {
  std::string out = "(";
  for (std::size_t i = 0; i < parts_.size(); ++i) {
    if (i != 0) out += ", ";
    out += std::to_string(parts_[i]);
  }
  if (parts_.size() == 1) out += ",";
  return out + ")";
}

}  // namespace streamalloc
