! The Fortran module's contract, under mpiexec (mpi.fortran.np<N>): errors come back through
! `stat` with streamalloc_last_error() naming them; claims of every strategy give the streams
! the C API gives (checked against the C API's values in NumPy terms by tests/consumers); uses
! over budget and reuse are reported by verify on every rank; the run record is written.
! Prints "fortran_api_test: ok" on rank 0 when every rank passed.
program fortran_api_test
  use, intrinsic :: iso_c_binding
  use mpi_f08
  use streamalloc
  implicit none

  type(streamalloc_runtime) :: rt
  type(streamalloc_campaign) :: campaign, bad_campaign
  type(streamalloc_allocator) :: alloc
  type(streamalloc_claim) :: claim, run, unused
  type(streamalloc_bitgen) :: gen
  type(streamalloc_verdict) :: verdict
  type(streamalloc_record) :: record
  character(len=:), allocatable :: report
  integer :: rank, nranks, stat, failures, total
  integer(c_int64_t) :: count, conflicts, raw(3), k(5)
  real(c_double) :: u(1000)
  logical :: clean

  call MPI_Init()
  failures = 0
  call streamalloc_runtime_create(rt, MPI_COMM_WORLD)
  call streamalloc_runtime_rank(rt, rank)
  call streamalloc_runtime_size(rt, nranks)

  ! Errors through stat: a bad root seed names itself; a handle never created is refused.
  call streamalloc_campaign_create(bad_campaign, "12x45", STREAMALLOC_STRATEGY_PHILOX, stat=stat)
  call expect(stat == STREAMALLOC_ERR_INVALID_ARGUMENT, "a bad root seed is an invalid argument")
  call expect(index(streamalloc_last_error(), "12x45") > 0, "the message names the bad seed")
  call streamalloc_claim_bitgen(unused, 0_c_int64_t, gen, stat=stat)
  call expect(stat == STREAMALLOC_ERR_INVALID_ARGUMENT, "a null claim handle is refused")
  call expect(index(streamalloc_last_error(), "null handle") > 0, "... and named as null")

  call streamalloc_campaign_create(campaign, "2024", STREAMALLOC_STRATEGY_PHILOX)
  call streamalloc_allocator_create(alloc, rt, campaign, 0_c_int64_t, block_size=16_c_int64_t)
  call streamalloc_allocator_philox_static(alloc, 3_c_int64_t, claim, budget=100_c_int64_t)
  call streamalloc_claim_bitgen(claim, 0_c_int64_t, gen)
  call streamalloc_bitgen_fill_random(gen, u)
  call expect(all(u >= 0.0_c_double .and. u < 1.0_c_double), "random() lies in [0, 1)")
  call expect(abs(sum(u) / size(u) - 0.5_c_double) < 0.05_c_double, "random() averages 1/2")
  call streamalloc_bitgen_fill_u64(gen, raw)
  call streamalloc_bitgen_fill_integers(gen, k, 5_c_int64_t, 7_c_int64_t, endpoint=.true.)
  call expect(all(k >= 5 .and. k <= 7), "integers(5, 7, endpoint=True) lies in [5, 7]")
  call streamalloc_bitgen_free(gen)
  ! Taking the same stream again on this rank: refused at once, through stat.
  call streamalloc_allocator_philox_static(alloc, 3_c_int64_t, unused, stat=stat)
  call expect(stat == STREAMALLOC_ERR_REUSE, "the same static stream twice is reuse")
  call streamalloc_allocator_philox_range(alloc, 1000_c_int64_t + 10 * rank, 4_c_int64_t, run, &
                                          task=[int(rank, c_int64_t), 0_c_int64_t], lockstep=.true.)
  call streamalloc_claim_size(run, count)
  call expect(count == 4, "a run of four streams has four streams")
  ! 1000 + 250 + 2 draws over a budget of 100: verify reports it, on every rank.
  call streamalloc_allocator_record_use(alloc, claim, 1252_c_int64_t)
  call streamalloc_allocator_verify(alloc, verdict)
  call streamalloc_verdict_clean(verdict, clean)
  call streamalloc_verdict_conflicts(verdict, conflicts)
  call streamalloc_verdict_report(verdict, report)
  call expect(.not. clean .and. conflicts == nranks, "every rank's use over budget is reported")
  call expect(index(report, "budget") > 0, "the report says budget")
  call streamalloc_verdict_free(verdict)
  call streamalloc_record_create(record, alloc, "fortran_api_test.jsonl")
  call streamalloc_record_checkpoint(record)
  call streamalloc_record_close(record)
  call streamalloc_record_close(record, stat=stat)
  call expect(stat == STREAMALLOC_ERR_INVALID_ARGUMENT, "a record closes once")
  call streamalloc_record_free(record)
  call streamalloc_claim_free(run)
  call streamalloc_claim_free(claim)
  call streamalloc_claim_free(claim, stat=stat)
  call expect(stat == STREAMALLOC_OK, "freeing a freed (nulled) claim again does nothing")
  call streamalloc_allocator_free(alloc)
  call streamalloc_campaign_free(campaign)
  call streamalloc_runtime_free(rt)

  call MPI_Allreduce(failures, total, 1, MPI_INTEGER, MPI_SUM, MPI_COMM_WORLD)
  if (rank == 0 .and. total == 0) write(*, '(a)') "fortran_api_test: ok"
  call MPI_Finalize()
  if (total /= 0) error stop 1

contains

  subroutine expect(condition, what)
    logical, intent(in) :: condition
    character(len=*), intent(in) :: what
    if (.not. condition) then
      write(*, '(a, i0, a, a, a, a)') "rank ", rank, ": FAILED: ", what, ": ", streamalloc_last_error()
      failures = failures + 1
    end if
  end subroutine expect

end program fortran_api_test
