! The Fortran module's contract, under mpiexec (mpi.fortran.np<N>): errors come back through
! `stat` with streamalloc_last_error() naming them; claims of every strategy give the streams
! the C API gives (checked against the C API's values in NumPy terms by tests/consumers); uses
! over budget and reuse are reported by verify on every rank; the run record is written,
! checkpointed and closed, a restart from a stored position records its lineage (the ctest
! fortran.record_audit.np<N> then audits both records with `streamalloc audit`), and record errors
! (an unwritable path, a checkpoint after close) come back through stat on every rank.
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
  type(streamalloc_campaign) :: resumed_campaign
  type(streamalloc_allocator) :: recorded, resumed
  type(streamalloc_claim) :: task_claims(3)
  character(len=:), allocatable :: report, position, first_position
  character(len=64) :: first_record, restart_record
  integer(c_int64_t) :: resumed_job, run_job, next_stream, next_jump, next_job
  integer :: round
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
  ! The run record (of an allocator of its own, whose claims are clean): one task claim per round
  ! per rank (task (round, rank) on stream ID 5000 + 10 * round + rank), checkpointed each round;
  ! the program's checkpoint would store the position after round 1.
  write(first_record, '(a, i0, a)') "fortran_record_np", nranks, ".jsonl"
  write(restart_record, '(a, i0, a)') "fortran_restart_np", nranks, ".jsonl"
  call streamalloc_allocator_create(recorded, rt, campaign, 0_c_int64_t, block_size=16_c_int64_t)
  call streamalloc_record_create(record, recorded, trim(first_record))
  do round = 1, 3
    call streamalloc_allocator_philox_explicit(recorded, 5000_c_int64_t + 10 * round + rank, &
                                               task_claims(round), &
                                               task=[int(round, c_int64_t), int(rank, c_int64_t)])
    call streamalloc_record_checkpoint(record)
    call streamalloc_record_checkpoint_position(record, position)
    if (round == 1) first_position = position
  end do
  call expect(index(first_position, '"commit": 2') > 0, "the position names round 1's commit")
  call expect(index(position, '"commit": 4') > 0, "the position names round 3's commit")
  call streamalloc_record_close(record)
  call streamalloc_record_close(record, stat=stat)
  call expect(stat == STREAMALLOC_ERR_INVALID_ARGUMENT, "a record closes once")
  call streamalloc_record_checkpoint(record, stat=stat)
  call expect(stat == STREAMALLOC_ERR_INVALID_ARGUMENT, "no checkpoint after close")
  call expect(index(streamalloc_last_error(), trim(first_record)) > 0, "... naming the record")
  call streamalloc_record_free(record)
  ! A path in a missing directory: an I/O error naming it, on every rank.
  call streamalloc_record_create(record, alloc, "no/such/dir/run.jsonl", stat=stat)
  call expect(stat == STREAMALLOC_ERR_IO, "an unwritable record path is an I/O error")
  call expect(index(streamalloc_last_error(), "no/such/dir/run.jsonl") > 0, "... naming the path")
  do round = 1, 3
    call streamalloc_claim_free(task_claims(round))
  end do
  call streamalloc_allocator_free(recorded)

  ! The restart from the position after round 1: the campaign and job come from the position,
  ! rounds 2 and 3 are redone on their streams (replays), recorded with the lineage.
  call streamalloc_record_position_campaign(first_position, resumed_campaign, resumed_job)
  call expect(resumed_job == 0, "the position's job")
  call streamalloc_allocator_create(resumed, rt, resumed_campaign, resumed_job, &
                                    block_size=16_c_int64_t)
  if (rank == 0) then
    call streamalloc_record_create_resumed(record, resumed, trim(restart_record), first_position)
  else
    call streamalloc_record_create_resumed(record, resumed, trim(restart_record), "")
  end if
  do round = 2, 3
    call streamalloc_allocator_philox_explicit(resumed, 5000_c_int64_t + 10 * round + rank, &
                                               task_claims(round), &
                                               task=[int(round, c_int64_t), int(rank, c_int64_t)])
  end do
  call streamalloc_record_close(record)
  call streamalloc_record_free(record)
  do round = 2, 3
    call streamalloc_claim_free(task_claims(round))
  end do
  call streamalloc_allocator_free(resumed)
  call streamalloc_campaign_free(resumed_campaign)
  call streamalloc_resume_point([character(len=64) :: first_record, restart_record], run_job, &
                                next_stream, next_jump, next_job, expected=campaign, &
                                job=0_c_int64_t)
  call expect(run_job == 0 .and. next_stream >= 5031_c_int64_t, &
              "a later run of job 0 continues after both records' streams")
  call streamalloc_record_position_campaign("not a position", resumed_campaign, resumed_job, &
                                            stat=stat)
  call expect(stat == STREAMALLOC_ERR_INVALID_ARGUMENT, "a bad position is refused")
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
