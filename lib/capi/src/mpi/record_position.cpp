// Record positions in C: the text streamalloc_record_checkpoint_position gives (the JSON of
// claims::record_position, streamalloc/claims/record_json.hpp), read back for a restart.
#include <string>

#include "../boundary.hpp"
#include "streamalloc/claims/record_json.hpp"
#include "streamalloc/json.hpp"
#include "types.hpp"

namespace streamalloc::capi {

claims::record_position position_of_text(std::string_view text, const char* what) {
  if (text.empty()) {
    throw invalid_argument(std::string(what) +
                           " is empty, expected a record position (the text of "
                           "streamalloc_record_checkpoint_position)");
  }
  return claims::position_from_json(parse_json(text, what), what);
}

}  // namespace streamalloc::capi

using namespace streamalloc;
using namespace streamalloc::capi;

extern "C" {

streamalloc_status streamalloc_record_position_campaign(const char* position,
                                                        streamalloc_campaign** campaign,
                                                        uint64_t* job) {
  return call(__func__, [&] {
    const claims::record_position at = position_of_text(text_of(position, "position"), "position");
    require_out(campaign, "campaign");
    require_out(job, "job");
    pending_handle<streamalloc_campaign> made(make_handle<streamalloc_campaign>(at.campaign));
    *job = at.job.value();
    *campaign = made.release();
  });
}

}  // extern "C"
