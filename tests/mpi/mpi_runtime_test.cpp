// The MPI runtime and the agreement primitive: MPI ownership, our private communicator and its
// error handler, checked calls, and failures on some ranks becoming one outcome on all ranks.
#include <gtest/gtest.h>
#include <mpi.h>

#include <boost/mpi/communicator.hpp>
#include <stdexcept>
#include <string>

#include "mpi_test_support.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mpi/agreement.hpp"
#include "streamalloc/mpi/runtime.hpp"

namespace streamalloc::mpi {
namespace {

using testing::all_ranks;
using testing::world;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Runtime, DuplicatesTheWorldAndMatchesItsRanks) {
  const runtime& rt = world();
  int result = MPI_UNEQUAL;
  check_mpi(MPI_Comm_compare(rt.comm(), MPI_COMM_WORLD, &result), "MPI_Comm_compare");
  EXPECT_EQ(result, MPI_CONGRUENT);  // same group and order, but a different context
  int world_rank = -1;
  int world_size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
  EXPECT_EQ(rt.mpi_rank(), world_rank);
  EXPECT_EQ(rt.rank(), rank_id(static_cast<std::uint32_t>(world_rank)));
  EXPECT_EQ(rt.size(), world_size);
  EXPECT_TRUE(rt.initialised_mpi());  // the test main's runtime was the first
}

TEST(Runtime, SetsErrorsReturnOnlyOnItsDuplicate) {
  MPI_Errhandler ours = MPI_ERRHANDLER_NULL;
  MPI_Errhandler users = MPI_ERRHANDLER_NULL;
  check_mpi(MPI_Comm_get_errhandler(world().comm(), &ours), "MPI_Comm_get_errhandler");
  check_mpi(MPI_Comm_get_errhandler(MPI_COMM_WORLD, &users), "MPI_Comm_get_errhandler");
  EXPECT_EQ(ours, MPI_ERRORS_RETURN);
  EXPECT_EQ(users, MPI_ERRORS_ARE_FATAL);  // MPI's default, untouched
  MPI_Errhandler_free(&ours);
  MPI_Errhandler_free(&users);
}

TEST(Runtime, RecordsTheThreadLevelMpiProvides) {
  int provided = -1;
  check_mpi(MPI_Query_thread(&provided), "MPI_Query_thread");
  EXPECT_EQ(world().thread_level(), provided);
}

TEST(Runtime, SecondRuntimeNeitherInitialisesNorFinalises) {
  {
    const runtime nested;  // collective: every rank constructs it
    EXPECT_FALSE(nested.initialised_mpi());
    EXPECT_NE(nested.comm(), world().comm());
    EXPECT_EQ(nested.size(), world().size());
  }
  int finalized = 1;
  MPI_Finalized(&finalized);
  EXPECT_EQ(finalized, 0);
}

TEST(Runtime, DuplicatesAUserCommunicator) {
  // Split into even and odd ranks; the runtime works on the sub-communicator.
  MPI_Comm half = MPI_COMM_NULL;
  check_mpi(MPI_Comm_split(MPI_COMM_WORLD, world().mpi_rank() % 2, world().mpi_rank(), &half),
            "MPI_Comm_split");
  {
    const runtime sub(half);
    int expected = 0;
    MPI_Comm_size(half, &expected);
    EXPECT_EQ(sub.size(), expected);
    EXPECT_EQ(sub.mpi_rank(), world().mpi_rank() / 2);
  }
  MPI_Comm_free(&half);
}

TEST(Runtime, BoostCommunicatorIsAttachedToOurDuplicate) {
  const ::boost::mpi::communicator comm = world().communicator();
  EXPECT_EQ(static_cast<MPI_Comm>(comm), world().comm());
  EXPECT_EQ(comm.rank(), world().mpi_rank());
  EXPECT_EQ(comm.size(), world().size());
}

TEST(CheckMpi, TurnsAnErrorCodeIntoMpiErrorWithMpisText) {
  EXPECT_NO_THROW(check_mpi(MPI_SUCCESS, "MPI_Nothing"));
  try {
    check_mpi(MPI_ERR_RANK, "MPI_Send (to nowhere)");
    ADD_FAILURE() << "expected mpi_error";
  } catch (const mpi_error& e) {
    char text[MPI_MAX_ERROR_STRING] = {};
    int length = 0;
    MPI_Error_string(MPI_ERR_RANK, text, &length);
    EXPECT_TRUE(contains(e.what(), "MPI_Send (to nowhere) failed: ")) << e.what();
    EXPECT_TRUE(contains(e.what(), std::string(text, static_cast<std::size_t>(length))))
        << e.what();
  }
}

TEST(CheckMpi, AFailingCallOnOurCommunicatorReturnsInsteadOfAborting) {
  // A send to a rank that does not exist: with MPI_ERRORS_RETURN on our duplicate this is an
  // mpi_error, not a job abort. (Local: no other rank is involved.)
  int payload = 0;
  EXPECT_THROW(
      check_mpi(MPI_Send(&payload, 1, MPI_INT, world().size(), 0, world().comm()), "MPI_Send"),
      mpi_error);
}

TEST(Agreement, NoFailureReturnsEverywhere) {
  EXPECT_NO_THROW(agree(world(), nullptr, "nothing"));
  const int value = agreed(world(), "a value", [] { return 42; });
  EXPECT_EQ(value, 42);
  bool ran = false;
  agreed(world(), "a void step", [&] { ran = true; });
  EXPECT_TRUE(ran);
}

TEST(Agreement, AFailureOnTheLastRankIsThrownOnEveryRankWithItsKindAndRank) {
  const int last = world().size() - 1;
  std::string message;
  try {
    agreed(world(), "the step", [&] {
      if (world().mpi_rank() == last) throw reuse_error("stream 7 taken twice");
    });
    ADD_FAILURE() << "expected reuse_error on every rank";
  } catch (const reuse_error& e) {  // the original kind, since it was the only kind
    message = e.what();
  }
  EXPECT_TRUE(contains(message, "the step failed on 1 of " + std::to_string(world().size())));
  EXPECT_TRUE(contains(message, "rank " + std::to_string(last) + ": stream 7 taken twice"))
      << message;
  EXPECT_TRUE(testing::same_on_all_ranks(message));
}

TEST(Agreement, MixedKindsBecomeMpiErrorListingEveryFailingRank) {
  std::string message;
  try {
    agreed(world(), "mixed", [&] {
      if (world().mpi_rank() % 2 == 0) throw invalid_argument("bad input");
      throw std::runtime_error("a bug");
    });
  } catch (const streamalloc::error& e) {
    message = e.what();
    // With one rank only invalid_argument is thrown, so its own kind is kept.
    if (world().size() > 1) {
      EXPECT_NE(dynamic_cast<const mpi_error*>(&e), nullptr) << message;
    } else {
      EXPECT_NE(dynamic_cast<const invalid_argument*>(&e), nullptr) << message;
    }
  }
  for (int r = 0; r < world().size(); ++r) {
    EXPECT_TRUE(contains(message,
                         "rank " + std::to_string(r) + ": " + (r % 2 == 0 ? "bad input" : "a bug")))
        << message;
  }
  EXPECT_TRUE(testing::same_on_all_ranks(message));
}

TEST(Agreement, TheCommunicatorStillWorksAfterAnAgreedFailure) {
  EXPECT_THROW(agreed(world(), "fail everywhere", [] { throw io_error("disk"); }), io_error);
  EXPECT_TRUE(all_ranks(true));
}

}  // namespace
}  // namespace streamalloc::mpi
