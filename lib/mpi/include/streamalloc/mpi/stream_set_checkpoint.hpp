// streamalloc/mpi/stream_set_checkpoint.hpp — moved to streamalloc/mpi/stream_set/checkpoint.hpp (the stream-set feature has its own folder).
// This forwarding header keeps the old include path working for one release.
#pragma once

#include "streamalloc/mpi/stream_set/checkpoint.hpp"
