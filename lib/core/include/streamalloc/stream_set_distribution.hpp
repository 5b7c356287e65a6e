// streamalloc/stream_set_distribution.hpp — moved to streamalloc/stream_set/distribution.hpp (the stream-set feature has its own folder).
// This forwarding header keeps the old include path working for one release.
#pragma once

#include "streamalloc/stream_set/distribution.hpp"
