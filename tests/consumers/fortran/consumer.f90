! A Fortran program built against an installed streamalloc with mpif90 and pkg-config only
! (tests/consumers/fortran/build_and_run.sh): the consumers' common workload (see
! tests/consumers/check_run.py) through `use streamalloc`, on an mpi_f08 communicator.
!   mpiexec -n N consumer OUTDIR
program consumer
  use, intrinsic :: iso_c_binding
  use mpi_f08
  use streamalloc
  implicit none

  type(streamalloc_runtime) :: rt
  type(streamalloc_campaign) :: campaign
  type(streamalloc_allocator) :: alloc
  type(streamalloc_claim) :: claim
  type(streamalloc_verdict) :: verdict
  type(streamalloc_record) :: record
  character(len=4096) :: outdir
  character(len=:), allocatable :: report
  integer :: rank, nranks, failures, total, unit, stat
  integer(c_int64_t) :: r, k, conflicts
  logical :: clean

  call MPI_Init()
  if (command_argument_count() /= 1) then
    write(*, '(a)') "usage: consumer OUTDIR"
    call MPI_Abort(MPI_COMM_WORLD, 2)
  end if
  call get_command_argument(1, outdir)
  call streamalloc_runtime_create(rt, MPI_COMM_WORLD)
  call streamalloc_runtime_rank(rt, rank)
  call streamalloc_runtime_size(rt, nranks)
  r = int(rank, c_int64_t)
  failures = 0
  open(newunit=unit, file=trim(outdir) // "/draws." // itoa(int(rank, c_int64_t)) // ".txt", &
       status="replace", action="write")

  ! philox: static, dynamic, explicit, and a lockstep run of three.
  call streamalloc_campaign_create(campaign, "12345", STREAMALLOC_STRATEGY_PHILOX)
  call streamalloc_allocator_create(alloc, rt, campaign, 0_c_int64_t)
  call streamalloc_allocator_philox_static(alloc, 0_c_int64_t, claim, task=[r])
  call draw("philox", claim, 0_c_int64_t, r)
  call streamalloc_claim_free(claim)
  call streamalloc_allocator_philox_dynamic(alloc, claim, task=[100 + r])
  call draw("philox", claim, 0_c_int64_t, 100 + r)
  call streamalloc_claim_free(claim)
  call streamalloc_allocator_philox_explicit(alloc, 50000 + r, claim, task=[200 + r])
  call draw("philox", claim, 0_c_int64_t, 200 + r)
  call streamalloc_claim_free(claim)
  call streamalloc_allocator_philox_range(alloc, 60000 + 4 * r, 3_c_int64_t, claim, &
                                          task=[300 + 4 * r], lockstep=.true.)
  do k = 0, 2
    call draw("philox", claim, k, 300 + 4 * r + k)
  end do
  call finish("philox")

  ! jumped: static, and a lockstep run of two.
  call streamalloc_campaign_create(campaign, "12345", STREAMALLOC_STRATEGY_JUMPED)
  call streamalloc_allocator_create(alloc, rt, campaign, 0_c_int64_t)
  call streamalloc_allocator_jumped_static(alloc, 0_c_int64_t, claim, task=[r])
  call draw("jumped", claim, 0_c_int64_t, r)
  call streamalloc_claim_free(claim)
  call streamalloc_allocator_jumped_range(alloc, 10000 + 2 * r, 2_c_int64_t, claim, &
                                          task=[100 + 2 * r], lockstep=.true.)
  do k = 0, 1
    call draw("jumped", claim, k, 100 + 2 * r + k)
  end do
  call finish("jumped")

  ! spawn: the rank's own path, a task path, and a lockstep run of two sub-tasks.
  call streamalloc_campaign_create(campaign, "12345", STREAMALLOC_STRATEGY_SPAWN)
  call streamalloc_allocator_create(alloc, rt, campaign, 0_c_int64_t)
  call streamalloc_allocator_spawn_rank(alloc, 0_c_int64_t, claim, task=[r])
  call draw("spawn", claim, 0_c_int64_t, r)
  call streamalloc_claim_free(claim)
  call streamalloc_allocator_spawn(alloc, [1000 + r, 7_c_int64_t], claim, task=[100 + r])
  call draw("spawn", claim, 0_c_int64_t, 100 + r)
  call streamalloc_claim_free(claim)
  call streamalloc_allocator_spawn_range(alloc, [2000 + r], 0_c_int64_t, 2_c_int64_t, claim, &
                                         task=[200 + 2 * r], lockstep=.true.)
  do k = 0, 1
    call draw("spawn", claim, k, 200 + 2 * r + k)
  end do
  call finish("spawn")
  close(unit)

  ! The deliberate reuse: every rank takes Philox stream ID 7 of job 1. Errors are checked
  ! through stat here, the other Fortran habit.
  call streamalloc_campaign_create(campaign, "12345", STREAMALLOC_STRATEGY_PHILOX)
  call streamalloc_allocator_create(alloc, rt, campaign, 1_c_int64_t)
  call streamalloc_allocator_philox_explicit(alloc, 7_c_int64_t, claim, stat=stat)
  if (stat /= STREAMALLOC_OK) failures = failures + 1
  call streamalloc_allocator_verify(alloc, verdict)
  call streamalloc_verdict_clean(verdict, clean)
  call streamalloc_verdict_conflicts(verdict, conflicts)
  call streamalloc_verdict_report(verdict, report)
  write(*, '(a, i0, a, l1, a, i0)') "rank ", rank, ": reuse verdict: clean=", clean, &
                                    " conflicts=", conflicts
  if (nranks > 1 .and. (clean .or. conflicts /= nranks - 1 .or. index(report, "ID 7") == 0)) then
    write(*, '(a, i0, a)') "rank ", rank, ": the reuse of stream ID 7 was not reported"
    failures = failures + 1
  end if
  call streamalloc_verdict_free(verdict)
  call streamalloc_record_create(record, alloc, trim(outdir) // "/reuse.jsonl")
  call streamalloc_record_close(record)
  call streamalloc_record_free(record)
  call streamalloc_claim_free(claim)
  call streamalloc_allocator_free(alloc)
  call streamalloc_campaign_free(campaign)

  call streamalloc_runtime_free(rt)
  call MPI_Allreduce(failures, total, 1, MPI_INTEGER, MPI_SUM, MPI_COMM_WORLD)
  if (rank == 0) then
    if (total == 0) then
      write(*, '(a)') "consumer (Fortran): ok"
    else
      write(*, '(a)') "consumer (Fortran): FAILED"
    end if
  end if
  call MPI_Finalize()
  if (total /= 0) error stop 1

contains

  function itoa(i) result(text)
    integer(c_int64_t), intent(in) :: i
    character(len=:), allocatable :: text
    character(len=24) :: buffer
    write(buffer, '(i0)') i
    text = trim(buffer)
  end function itoa

  subroutine put_reals(head, method, x)
    character(len=*), intent(in) :: head, method
    real(c_double), intent(in) :: x(:)
    character(len=32) :: item
    character(len=:), allocatable :: line
    integer :: i
    line = head // " " // method // " "
    do i = 1, size(x)
      write(item, '(es25.17e3)') x(i)
      line = line // trim(adjustl(item))
      if (i < size(x)) line = line // ","
    end do
    write(unit, '(a)') line
  end subroutine put_reals

  subroutine put_ints(head, method, n)
    character(len=*), intent(in) :: head, method
    integer(c_int64_t), intent(in) :: n(:)
    character(len=:), allocatable :: line
    integer :: i
    line = head // " " // method // " "
    do i = 1, size(n)
      line = line // itoa(n(i))
      if (i < size(n)) line = line // ","
    end do
    write(unit, '(a)') line
  end subroutine put_ints

  ! The common draws of stream k of the claim, which serves task `task` of record `name`.
  subroutine draw(name, claim, k, task)
    character(len=*), intent(in) :: name
    type(streamalloc_claim), intent(in) :: claim
    integer(c_int64_t), intent(in) :: k, task
    type(streamalloc_bitgen) :: gen
    real(c_double) :: x(4), e(3)
    integer(c_int64_t) :: n(4), m(3)
    character(len=:), allocatable :: head
    head = name // " " // itoa(task)
    call streamalloc_claim_bitgen(claim, k, gen)
    call streamalloc_bitgen_fill_uniform(gen, x, -1.0_c_double, 2.0_c_double)
    call put_reals(head, "uniform", x)
    call streamalloc_bitgen_fill_normal(gen, x, 10.0_c_double, 2.0_c_double)
    call put_reals(head, "normal", x)
    call streamalloc_bitgen_fill_exponential(gen, e, 3.0_c_double)
    call put_reals(head, "exponential", e)
    call streamalloc_bitgen_fill_integers(gen, n, 0_c_int64_t, 1000_c_int64_t)
    call put_ints(head, "integers", n)
    call streamalloc_bitgen_fill_poisson(gen, m, 4.5_c_double)
    call put_ints(head, "poisson", m)
    call streamalloc_bitgen_fill_binomial(gen, m, 20_c_int64_t, 0.3_c_double)
    call put_ints(head, "binomial", m)
    call streamalloc_bitgen_free(gen)
  end subroutine draw

  ! COLLECTIVE: verify (clean expected), write the run record, free the last claim (a run of
  ! streams) and the allocator.
  subroutine finish(name)
    character(len=*), intent(in) :: name
    logical :: is_clean
    call streamalloc_allocator_verify(alloc, verdict)
    call streamalloc_verdict_clean(verdict, is_clean)
    if (.not. is_clean) failures = failures + 1
    call streamalloc_verdict_free(verdict)
    call streamalloc_record_create(record, alloc, trim(outdir) // "/" // name // ".jsonl")
    call streamalloc_record_close(record)
    call streamalloc_record_free(record)
    call streamalloc_claim_free(claim)
    call streamalloc_allocator_free(alloc)
    call streamalloc_campaign_free(campaign)
  end subroutine finish

end program consumer
