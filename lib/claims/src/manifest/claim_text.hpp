// Private: a claim's JSON text, written directly — byte for byte what
// dump_json(to_json(claim)) gives (record_json.hpp), ten times faster: run records write
// millions of claims at checkpoints.
#pragma once

#include <string>

#include "streamalloc/claims/claim.hpp"

namespace streamalloc::claims::detail {

// Appends the claim's JSON object to `out`.
void append_claim_text(std::string& out, const claim& c);

}  // namespace streamalloc::claims::detail
