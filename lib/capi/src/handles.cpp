#include "handles.hpp"

#include <cstddef>
#include <deque>
#include <mutex>
#include <unordered_map>

namespace streamalloc::capi {

const char* kind_name(handle_kind kind) noexcept {
  switch (kind) {
    case handle_kind::seedseq: return "seed sequence";
    case handle_kind::bitgen: return "bit generator";
    case handle_kind::stream_set: return "stream set";
    case handle_kind::variable: return "stream set variable";
    case handle_kind::snapshot: return "stream set snapshot";
    case handle_kind::campaign: return "campaign";
    case handle_kind::verdict: return "verdict";
    case handle_kind::runtime: return "runtime";
    case handle_kind::allocator: return "allocator";
    case handle_kind::claim: return "claim";
    case handle_kind::record: return "run record";
    case handle_kind::freed: return "freed handle";
  }
  return "unknown handle";
}

namespace detail {
namespace {

// Freed handles whose memory is kept back, so their addresses are not reused at once.
constexpr std::size_t quarantine_size = 4096;

struct registry {
  std::mutex mutex;
  std::unordered_map<const void*, handle_kind> live;
  std::unordered_map<const void*, handle_kind> freed;  // quarantined addresses, former kind
  // Freed handles, payload released, oldest first: deallocated when they leave.
  std::deque<std::unique_ptr<handle>> quarantine;
};

// Never destroyed: handles may be freed from static destructors of the program.
registry& the_registry() {
  static auto* r = new registry;
  return *r;
}

[[noreturn]] void refuse(const void* p, handle_kind expected, const char* what, const registry& r) {
  std::string message = std::string(what) + ": ";
  if (p == nullptr) {
    message += "a null handle, expected a " + std::string(kind_name(expected)) + " handle";
  } else if (const auto f = r.freed.find(p); f != r.freed.end()) {
    message += "a " + std::string(kind_name(f->second)) +
               " handle that was already freed, expected a live " + kind_name(expected) + " handle";
  } else if (const auto l = r.live.find(p); l != r.live.end()) {
    message += "a " + std::string(kind_name(l->second)) + " handle, expected a " +
               kind_name(expected) + " handle";
  } else {
    message += "not a streamalloc handle (freed long ago, or never created), expected a " +
               std::string(kind_name(expected)) + " handle";
  }
  throw invalid_argument(message);
}

}  // namespace

void register_handle(handle* h) {
  registry& r = the_registry();
  const std::lock_guard lock(r.mutex);
  r.freed.erase(h);
  r.live.emplace(h, h->magic);
}

void check_handle(const void* p, handle_kind expected, const char* what) {
  registry& r = the_registry();
  const std::lock_guard lock(r.mutex);
  const auto l = r.live.find(p);
  // The registry's kind and the object's own tag must both say `expected`.
  if (p == nullptr || l == r.live.end() || l->second != expected ||
      static_cast<const handle*>(p)->magic != expected) {
    refuse(p, expected, what, r);
  }
}

void release_handle(handle* h, handle_kind expected, const char* what) {
  registry& r = the_registry();
  std::unique_ptr<handle> evicted;
  {
    const std::lock_guard lock(r.mutex);
    const auto l = r.live.find(h);
    if (l == r.live.end() || l->second != expected || h->magic != expected) {
      refuse(h, expected, what, r);
    }
    r.live.erase(l);
    r.freed.emplace(h, expected);
    // Quarantine: the payload is released now (below), the husk quarantine_size frees later.
    h->magic = handle_kind::freed;
    r.quarantine.emplace_back(h);
    if (r.quarantine.size() > quarantine_size) {
      evicted = std::move(r.quarantine.front());
      r.quarantine.pop_front();
      r.freed.erase(evicted.get());
    }
  }
  // Outside the lock: a payload's destructor may free other handles (a stream set its
  // variables) or call MPI (a runtime).
  h->release();
}

}  // namespace detail
}  // namespace streamalloc::capi
