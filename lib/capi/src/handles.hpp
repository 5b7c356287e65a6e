// lib/capi/src/handles.hpp — INTERNAL: the C API's opaque handles and how every call checks them.
//
// Each handle type of streamalloc.h / streamalloc_mpi.h is a struct deriving from `handle`,
// whose first member is a magic tag naming its kind. Every live handle's address is also in one
// process-wide registry (address -> kind), so a call can check a pointer before it reads
// through it: a null pointer, an address that is no live handle (freed, or never created) and a
// live handle of another kind are each refused with invalid_argument, never dereferenced
// blindly. A freed handle's memory is kept (its payload destroyed, its tag set to `freed`) for
// the next 4096 frees, so the allocator cannot hand the same address to a new
// handle at once: a stale pointer used soon after its free is reported as freed, not mistaken
// for a new handle. The registry is guarded by one mutex: checking costs a hash lookup, which the
// bulk calls amortise.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "streamalloc/error.hpp"

namespace streamalloc::capi {

enum class handle_kind : std::uint32_t {
  seedseq = 0x53415331,  // "SAS1"...
  bitgen = 0x53415332,
  stream_set = 0x53415333,
  variable = 0x53415334,
  snapshot = 0x53415335,
  campaign = 0x53415336,
  verdict = 0x53415337,
  runtime = 0x53415338,
  allocator = 0x53415339,
  claim = 0x5341533a,
  record = 0x5341533b,
  freed = 0x46524545,  // "FREE"
};

// "seed sequence", "bit generator", ...
const char* kind_name(handle_kind kind) noexcept;

// The common head of every handle.
struct handle {
  explicit handle(handle_kind k) noexcept : magic(k) {}
  virtual ~handle() = default;
  handle(const handle&) = delete;
  handle& operator=(const handle&) = delete;

  // Destroys the payload (at *_free; the husk stays in quarantine). Must not throw.
  virtual void release() noexcept = 0;

  handle_kind magic;
};

// A handle whose payload is a T (engaged from creation to *_free).
template <handle_kind K, class T>
struct boxed : handle {
  static constexpr handle_kind kind = K;
  template <class... Args>
  explicit boxed(Args&&... args) : handle(K), value(std::in_place, std::forward<Args>(args)...) {}
  void release() noexcept override { value.reset(); }

  std::optional<T> value;
};

namespace detail {
// Adds a new handle to the registry (it then counts as live).
void register_handle(handle* h);
// Throws invalid_argument unless `p` is a live handle of kind `expected`; `what` names the
// parameter in the message.
void check_handle(const void* p, handle_kind expected, const char* what);
// Unregisters and destroys a live handle of kind `expected` (quarantining its memory).
void release_handle(handle* h, handle_kind expected, const char* what);
}  // namespace detail

// A new handle of type H (deriving from handle), registered, as the pointer the C API returns.
// The caller writes it to its out-parameter last, once nothing else can fail.
template <class H, class... Args>
H* make_handle(Args&&... args) {
  auto owned = std::make_unique<H>(std::forward<Args>(args)...);
  detail::register_handle(owned.get());
  return owned.release();
}

// A handle made but not yet handed out: freed again if the call fails before release().
template <class H>
class pending_handle {
 public:
  explicit pending_handle(H* p) noexcept : p_(p) {}
  ~pending_handle() {
    if (p_ == nullptr) return;
    try {
      detail::release_handle(p_, H::kind, "cleanup");
    } catch (...) {  // a live handle of its own kind: cannot happen
    }
  }
  pending_handle(pending_handle&& other) noexcept : p_(std::exchange(other.p_, nullptr)) {}
  pending_handle(const pending_handle&) = delete;
  pending_handle& operator=(const pending_handle&) = delete;
  pending_handle& operator=(pending_handle&&) = delete;

  H* get() const noexcept { return p_; }
  H* release() noexcept { return std::exchange(p_, nullptr); }

 private:
  H* p_;
};

// The checked object behind a handle parameter.
template <class H>
H& checked(H* p, const char* what) {
  detail::check_handle(p, H::kind, what);
  return *p;
}
template <class H>
const H& checked(const H* p, const char* what) {
  detail::check_handle(p, H::kind, what);
  return *p;
}

// *_free: NULL is a no-op; anything else must be a live handle of H's kind.
template <class H>
void free_handle(H* p, const char* what) {
  if (p == nullptr) return;
  detail::release_handle(p, H::kind, what);
}

}  // namespace streamalloc::capi
