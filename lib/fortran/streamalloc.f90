! streamalloc — the Fortran module of streamalloc: reproducible, NumPy-exact random streams for
! the ranks and tasks of an MPI program, claimed, checked for reuse and recorded.
!
!   use mpi_f08                    ! or: use mpi (integer communicators)
!   use streamalloc
!   type(streamalloc_runtime) :: rt
!   type(streamalloc_campaign) :: campaign
!   type(streamalloc_allocator) :: alloc
!   type(streamalloc_claim) :: claim
!   type(streamalloc_bitgen) :: gen
!   real(c_double) :: x(1000)
!   call MPI_Init()
!   call streamalloc_runtime_create(rt, MPI_COMM_WORLD)               ! COLLECTIVE
!   call streamalloc_campaign_create(campaign, "12345", STREAMALLOC_STRATEGY_PHILOX)
!   call streamalloc_allocator_create(alloc, rt, campaign, job=0_c_int64_t)
!   call streamalloc_allocator_philox_static(alloc, 0_c_int64_t, claim)
!   call streamalloc_claim_bitgen(claim, 0_c_int64_t, gen)            ! Philox(key=root_key + id)
!   call streamalloc_bitgen_fill_normal(gen, x, 0.0_c_double, 1.0_c_double)
!   ...
!   call streamalloc_allocator_verify(alloc, verdict)                  ! COLLECTIVE
!   call streamalloc_record_create(record, alloc, "run.jsonl")         ! COLLECTIVE
!   call streamalloc_record_checkpoint(record)                         ! COLLECTIVE, each round
!   call streamalloc_record_checkpoint_position(record, position)     ! store it to restart from
!   call streamalloc_record_close(record)                              ! COLLECTIVE
!
! A run restarted from a stored position makes its allocator with the position's campaign and
! job (streamalloc_record_position_campaign), redoes the work after it on the same streams, and
! records with streamalloc_record_create_resumed: `streamalloc audit` accepts the redone claims as
! replays. A new run after finished ones continues the job from streamalloc_resume_point.
!
! Every value drawn equals NumPy 1.24's: Generator(<the stream's bit generator>).<method>(...,
! size=size(x)). Errors: every procedure takes an optional `stat`. With it, the C API's status
! (STREAMALLOC_OK = 0, or an STREAMALLOC_ERR_* code) is returned there and
! streamalloc_last_error() gives the message; without it, an error prints the message on the
! error unit and stops the program (error stop). Procedures marked COLLECTIVE must be called by
! every rank of the runtime's communicator, in the same order; their failures are the same on
! every rank. Indices (stream IDs, jump indices, the k of a claim's streams) count from 0, as the
! stream IDs of the run record do. Unsigned C values (IDs, budgets) are integer(c_int64_t) with
! the same bits. Thread safety: as the C API (one handle per thread at a time).
module streamalloc
  use, intrinsic :: iso_c_binding
  use, intrinsic :: iso_fortran_env, only: error_unit
  use mpi_f08, only: MPI_Comm
  use streamalloc_c_interfaces
  implicit none
  private

  ! Status codes (streamalloc.h).
  integer(c_int), parameter, public :: STREAMALLOC_OK = 0
  integer(c_int), parameter, public :: STREAMALLOC_ERR_INVALID_ARGUMENT = 1
  integer(c_int), parameter, public :: STREAMALLOC_ERR_REUSE = 2
  integer(c_int), parameter, public :: STREAMALLOC_ERR_MPI = 3
  integer(c_int), parameter, public :: STREAMALLOC_ERR_IO = 4
  integer(c_int), parameter, public :: STREAMALLOC_ERR_OUT_OF_MEMORY = 5
  integer(c_int), parameter, public :: STREAMALLOC_ERR_INTERNAL = 6
  ! Bit generator families.
  integer(c_int), parameter, public :: STREAMALLOC_PCG64 = 0
  integer(c_int), parameter, public :: STREAMALLOC_PCG64DXSM = 1
  integer(c_int), parameter, public :: STREAMALLOC_PHILOX = 2
  integer(c_int), parameter, public :: STREAMALLOC_SFC64 = 3
  integer(c_int), parameter, public :: STREAMALLOC_MT19937 = 4
  ! Strategies of a campaign.
  integer(c_int), parameter, public :: STREAMALLOC_STRATEGY_SPAWN = 0
  integer(c_int), parameter, public :: STREAMALLOC_STRATEGY_PHILOX = 1
  integer(c_int), parameter, public :: STREAMALLOC_STRATEGY_JUMPED = 2

  ! Handles: each holds one C API handle (a null one until created; *_free nulls it again).
  type, public :: streamalloc_runtime
    type(c_ptr) :: handle = c_null_ptr
  end type streamalloc_runtime
  type, public :: streamalloc_campaign
    type(c_ptr) :: handle = c_null_ptr
  end type streamalloc_campaign
  type, public :: streamalloc_allocator
    type(c_ptr) :: handle = c_null_ptr
  end type streamalloc_allocator
  type, public :: streamalloc_claim
    type(c_ptr) :: handle = c_null_ptr
  end type streamalloc_claim
  type, public :: streamalloc_bitgen
    type(c_ptr) :: handle = c_null_ptr
  end type streamalloc_bitgen
  type, public :: streamalloc_verdict
    type(c_ptr) :: handle = c_null_ptr
  end type streamalloc_verdict
  type, public :: streamalloc_record
    type(c_ptr) :: handle = c_null_ptr
  end type streamalloc_record

  ! COLLECTIVE. A runtime on a communicator: an integer handle (use mpi) or a type(MPI_Comm)
  ! (use mpi_f08). MPI must be initialised (MPI_Init) first.
  interface streamalloc_runtime_create
    module procedure runtime_create_integer, runtime_create_f08
  end interface streamalloc_runtime_create
  public :: streamalloc_runtime_create

  public :: streamalloc_last_error
  public :: streamalloc_runtime_free, streamalloc_runtime_rank, streamalloc_runtime_size
  public :: streamalloc_campaign_create, streamalloc_campaign_free
  public :: streamalloc_allocator_create, streamalloc_allocator_free
  public :: streamalloc_allocator_philox_static, streamalloc_allocator_philox_dynamic
  public :: streamalloc_allocator_philox_explicit, streamalloc_allocator_philox_range
  public :: streamalloc_allocator_jumped_static, streamalloc_allocator_jumped_dynamic
  public :: streamalloc_allocator_jumped_explicit, streamalloc_allocator_jumped_range
  public :: streamalloc_allocator_spawn_rank, streamalloc_allocator_spawn
  public :: streamalloc_allocator_spawn_range, streamalloc_allocator_record_use
  public :: streamalloc_claim_size, streamalloc_claim_bitgen, streamalloc_claim_free
  public :: streamalloc_bitgen_free
  public :: streamalloc_bitgen_fill_random, streamalloc_bitgen_fill_uniform
  public :: streamalloc_bitgen_fill_normal, streamalloc_bitgen_fill_exponential
  public :: streamalloc_bitgen_fill_integers, streamalloc_bitgen_fill_poisson
  public :: streamalloc_bitgen_fill_binomial, streamalloc_bitgen_fill_u64
  public :: streamalloc_allocator_verify, streamalloc_verdict_clean
  public :: streamalloc_verdict_conflicts, streamalloc_verdict_report, streamalloc_verdict_free
  public :: streamalloc_record_create, streamalloc_record_checkpoint
  public :: streamalloc_record_close, streamalloc_record_free
  public :: streamalloc_record_create_resumed, streamalloc_record_checkpoint_position
  public :: streamalloc_record_position_campaign, streamalloc_resume_point

contains

  ! ---- errors -----------------------------------------------------------------------------

  ! This thread's message for the last call that failed ("" after a success).
  function streamalloc_last_error() result(message)
    character(len=:), allocatable :: message
    type(c_ptr) :: text
    character(kind=c_char), pointer :: chars(:)
    integer :: i, n
    text = c_last_error()
    n = int(c_strlen(text))
    call c_f_pointer(text, chars, [n])
    allocate(character(len=n) :: message)
    do i = 1, n
      message(i:i) = chars(i)
    end do
  end function streamalloc_last_error

  ! The Fortran habit: return the status in stat if given, else stop on an error with the C API's
  ! message (which names the C function; `where` names it when there is no message).
  subroutine finish(status, stat, where)
    integer(c_int), intent(in) :: status
    integer, intent(out), optional :: stat
    character(len=*), intent(in) :: where
    character(len=:), allocatable :: message
    character(len=16) :: code
    if (present(stat)) then
      stat = int(status)
    else if (status /= STREAMALLOC_OK) then
      message = streamalloc_last_error()
      if (len(message) == 0) then
        write(code, '(i0)') status
        message = where // ": status " // trim(code)
      end if
      write(error_unit, '(a)') message
      error stop 1
    end if
  end subroutine finish

  function c_text(text) result(out)
    character(len=*), intent(in) :: text
    character(kind=c_char, len=len_trim(text) + 1) :: out
    out = trim(text) // c_null_char
  end function c_text

  ! Claim options from the optional Fortran arguments: task path, budget, lockstep tasks.
  ! `task` must stay alive (target) until the C call returns.
  subroutine claim_options(details, task, budget, lockstep)
    type(c_claim_options), intent(out) :: details
    integer(c_int64_t), intent(in), optional, target :: task(:)
    integer(c_int64_t), intent(in), optional :: budget
    logical, intent(in), optional :: lockstep
    integer(c_int) :: status
    status = c_claim_options_init(details)
    if (present(task)) then
      details%task = c_loc(task)
      details%task_depth = size(task, kind=c_int64_t)
    end if
    if (present(budget)) then
      details%has_budget = .true.
      details%budget_lo = budget
    end if
    if (present(lockstep)) then
      if (lockstep) details%tasks = 1
    end if
  end subroutine claim_options

  ! ---- runtimes -----------------------------------------------------------------------------

  subroutine runtime_create_integer(rt, comm, stat)
    type(streamalloc_runtime), intent(out) :: rt
    integer, intent(in) :: comm
    integer, intent(out), optional :: stat
    call finish(c_runtime_create_f(int(comm, c_int), rt%handle), stat, "streamalloc_runtime_create")
  end subroutine runtime_create_integer

  subroutine runtime_create_f08(rt, comm, stat)
    type(streamalloc_runtime), intent(out) :: rt
    type(MPI_Comm), intent(in) :: comm
    integer, intent(out), optional :: stat
    call finish(c_runtime_create_f(int(comm%MPI_VAL, c_int), rt%handle), stat, &
                "streamalloc_runtime_create")
  end subroutine runtime_create_f08

  ! COLLECTIVE. Free allocators first.
  subroutine streamalloc_runtime_free(rt, stat)
    type(streamalloc_runtime), intent(inout) :: rt
    integer, intent(out), optional :: stat
    call finish(c_runtime_free(rt%handle), stat, "streamalloc_runtime_free")
    rt%handle = c_null_ptr
  end subroutine streamalloc_runtime_free

  subroutine streamalloc_runtime_rank(rt, rank, stat)
    type(streamalloc_runtime), intent(in) :: rt
    integer, intent(out) :: rank
    integer, intent(out), optional :: stat
    integer(c_int) :: r
    r = -1
    call finish(c_runtime_rank(rt%handle, r), stat, "streamalloc_runtime_rank")
    rank = int(r)
  end subroutine streamalloc_runtime_rank

  subroutine streamalloc_runtime_size(rt, size, stat)
    type(streamalloc_runtime), intent(in) :: rt
    integer, intent(out) :: size
    integer, intent(out), optional :: stat
    integer(c_int) :: s
    s = -1
    call finish(c_runtime_size(rt%handle, s), stat, "streamalloc_runtime_size")
    size = int(s)
  end subroutine streamalloc_runtime_size

  ! ---- campaigns and allocators -------------------------------------------------------------

  ! A campaign on `root` (decimal or 0x-hex entropy, or a comma-separated list) with a strategy
  ! (STREAMALLOC_STRATEGY_SPAWN, _PHILOX, _JUMPED).
  subroutine streamalloc_campaign_create(c, root, strategy, stat)
    type(streamalloc_campaign), intent(out) :: c
    character(len=*), intent(in) :: root
    integer(c_int), intent(in) :: strategy
    integer, intent(out), optional :: stat
    call finish(c_campaign_create(c_text(root), strategy, 0_c_int64_t, c%handle), stat, &
                "streamalloc_campaign_create")
  end subroutine streamalloc_campaign_create

  subroutine streamalloc_campaign_free(c, stat)
    type(streamalloc_campaign), intent(inout) :: c
    integer, intent(out), optional :: stat
    call finish(c_campaign_free(c%handle), stat, "streamalloc_campaign_free")
    c%handle = c_null_ptr
  end subroutine streamalloc_campaign_free

  ! This rank's allocator for job `job` of the campaign. Optional layout: static streams per rank
  ! (block_size, default 1024), dynamic reservation size (dynamic_block_size, default 1024),
  ! where the job's IDs / jump indices continue (resume_stream, resume_jump).
  subroutine streamalloc_allocator_create(alloc, rt, c, job, block_size, dynamic_block_size, &
                                          resume_stream, resume_jump, stat)
    type(streamalloc_allocator), intent(out) :: alloc
    type(streamalloc_runtime), intent(in) :: rt
    type(streamalloc_campaign), intent(in) :: c
    integer(c_int64_t), intent(in) :: job
    integer(c_int64_t), intent(in), optional :: block_size, dynamic_block_size
    integer(c_int64_t), intent(in), optional :: resume_stream, resume_jump
    integer, intent(out), optional :: stat
    type(c_allocator_options) :: options
    integer(c_int) :: status
    status = c_allocator_options_init(options)
    if (present(block_size)) options%block_size = block_size
    if (present(dynamic_block_size)) options%dynamic_block_size = dynamic_block_size
    if (present(resume_stream)) options%resume_stream = resume_stream
    if (present(resume_jump)) options%resume_jump = resume_jump
    call finish(c_allocator_create(rt%handle, c%handle, job, options, alloc%handle), stat, &
                "streamalloc_allocator_create")
  end subroutine streamalloc_allocator_create

  subroutine streamalloc_allocator_free(alloc, stat)
    type(streamalloc_allocator), intent(inout) :: alloc
    integer, intent(out), optional :: stat
    call finish(c_allocator_free(alloc%handle), stat, "streamalloc_allocator_free")
    alloc%handle = c_null_ptr
  end subroutine streamalloc_allocator_free

  ! ---- claims: every strategy ---------------------------------------------------------------
  ! Each records what it takes (a stream this rank already holds: STREAMALLOC_ERR_REUSE) and
  ! gives a claim; optional task (the task path the stream serves), budget (draws it may use).

  ! philox: this rank's static stream local_index.
  subroutine streamalloc_allocator_philox_static(alloc, local_index, claim, task, budget, stat)
    type(streamalloc_allocator), intent(in) :: alloc
    integer(c_int64_t), intent(in) :: local_index
    type(streamalloc_claim), intent(out) :: claim
    integer(c_int64_t), intent(in), optional, target :: task(:)
    integer(c_int64_t), intent(in), optional :: budget
    integer, intent(out), optional :: stat
    type(c_claim_options) :: details
    call claim_options(details, task, budget)
    call finish(c_allocator_philox_static(alloc%handle, local_index, details, claim%handle), stat, &
                "streamalloc_allocator_philox_static")
  end subroutine streamalloc_allocator_philox_static

  ! philox: the next stream of this rank's dynamic reservation.
  subroutine streamalloc_allocator_philox_dynamic(alloc, claim, task, budget, stat)
    type(streamalloc_allocator), intent(in) :: alloc
    type(streamalloc_claim), intent(out) :: claim
    integer(c_int64_t), intent(in), optional, target :: task(:)
    integer(c_int64_t), intent(in), optional :: budget
    integer, intent(out), optional :: stat
    type(c_claim_options) :: details
    call claim_options(details, task, budget)
    call finish(c_allocator_philox_dynamic(alloc%handle, details, claim%handle), stat, &
                "streamalloc_allocator_philox_dynamic")
  end subroutine streamalloc_allocator_philox_dynamic

  ! philox: stream ID `id`, chosen by the program.
  subroutine streamalloc_allocator_philox_explicit(alloc, id, claim, task, budget, stat)
    type(streamalloc_allocator), intent(in) :: alloc
    integer(c_int64_t), intent(in) :: id
    type(streamalloc_claim), intent(out) :: claim
    integer(c_int64_t), intent(in), optional, target :: task(:)
    integer(c_int64_t), intent(in), optional :: budget
    integer, intent(out), optional :: stat
    type(c_claim_options) :: details
    call claim_options(details, task, budget)
    call finish(c_allocator_philox_explicit(alloc%handle, id, details, claim%handle), stat, &
                "streamalloc_allocator_philox_explicit")
  end subroutine streamalloc_allocator_philox_explicit

  ! philox: IDs first .. first + count - 1 as one claim; with lockstep, stream k serves `task`
  ! with its last entry advanced by k.
  subroutine streamalloc_allocator_philox_range(alloc, first, count, claim, task, lockstep, stat)
    type(streamalloc_allocator), intent(in) :: alloc
    integer(c_int64_t), intent(in) :: first, count
    type(streamalloc_claim), intent(out) :: claim
    integer(c_int64_t), intent(in), optional, target :: task(:)
    logical, intent(in), optional :: lockstep
    integer, intent(out), optional :: stat
    type(c_claim_options) :: details
    call claim_options(details, task, lockstep=lockstep)
    call finish(c_allocator_philox_range(alloc%handle, first, count, details, claim%handle), stat, &
                "streamalloc_allocator_philox_range")
  end subroutine streamalloc_allocator_philox_range

  ! jumped: this rank's static stream local_index.
  subroutine streamalloc_allocator_jumped_static(alloc, local_index, claim, task, budget, stat)
    type(streamalloc_allocator), intent(in) :: alloc
    integer(c_int64_t), intent(in) :: local_index
    type(streamalloc_claim), intent(out) :: claim
    integer(c_int64_t), intent(in), optional, target :: task(:)
    integer(c_int64_t), intent(in), optional :: budget
    integer, intent(out), optional :: stat
    type(c_claim_options) :: details
    call claim_options(details, task, budget)
    call finish(c_allocator_jumped_static(alloc%handle, local_index, details, claim%handle), stat, &
                "streamalloc_allocator_jumped_static")
  end subroutine streamalloc_allocator_jumped_static

  subroutine streamalloc_allocator_jumped_dynamic(alloc, claim, task, budget, stat)
    type(streamalloc_allocator), intent(in) :: alloc
    type(streamalloc_claim), intent(out) :: claim
    integer(c_int64_t), intent(in), optional, target :: task(:)
    integer(c_int64_t), intent(in), optional :: budget
    integer, intent(out), optional :: stat
    type(c_claim_options) :: details
    call claim_options(details, task, budget)
    call finish(c_allocator_jumped_dynamic(alloc%handle, details, claim%handle), stat, &
                "streamalloc_allocator_jumped_dynamic")
  end subroutine streamalloc_allocator_jumped_dynamic

  subroutine streamalloc_allocator_jumped_explicit(alloc, index, claim, task, budget, stat)
    type(streamalloc_allocator), intent(in) :: alloc
    integer(c_int64_t), intent(in) :: index
    type(streamalloc_claim), intent(out) :: claim
    integer(c_int64_t), intent(in), optional, target :: task(:)
    integer(c_int64_t), intent(in), optional :: budget
    integer, intent(out), optional :: stat
    type(c_claim_options) :: details
    call claim_options(details, task, budget)
    call finish(c_allocator_jumped_explicit(alloc%handle, index, details, claim%handle), stat, &
                "streamalloc_allocator_jumped_explicit")
  end subroutine streamalloc_allocator_jumped_explicit

  subroutine streamalloc_allocator_jumped_range(alloc, first, count, claim, task, lockstep, stat)
    type(streamalloc_allocator), intent(in) :: alloc
    integer(c_int64_t), intent(in) :: first, count
    type(streamalloc_claim), intent(out) :: claim
    integer(c_int64_t), intent(in), optional, target :: task(:)
    logical, intent(in), optional :: lockstep
    integer, intent(out), optional :: stat
    type(c_claim_options) :: details
    call claim_options(details, task, lockstep=lockstep)
    call finish(c_allocator_jumped_range(alloc%handle, first, count, details, claim%handle), stat, &
                "streamalloc_allocator_jumped_range")
  end subroutine streamalloc_allocator_jumped_range

  ! spawn: the rank-rooted path (rank, local_index).
  subroutine streamalloc_allocator_spawn_rank(alloc, local_index, claim, task, stat)
    type(streamalloc_allocator), intent(in) :: alloc
    integer(c_int64_t), intent(in) :: local_index
    type(streamalloc_claim), intent(out) :: claim
    integer(c_int64_t), intent(in), optional, target :: task(:)
    integer, intent(out), optional :: stat
    type(c_claim_options) :: details
    call claim_options(details, task)
    call finish(c_allocator_spawn_rank(alloc%handle, local_index, details, claim%handle), stat, &
                "streamalloc_allocator_spawn_rank")
  end subroutine streamalloc_allocator_spawn_rank

  ! spawn: any non-empty path, e.g. (task, subtask): SeedSequence(root, spawn_key=(job, *path)).
  subroutine streamalloc_allocator_spawn(alloc, path, claim, task, stat)
    type(streamalloc_allocator), intent(in) :: alloc
    integer(c_int64_t), intent(in) :: path(:)
    type(streamalloc_claim), intent(out) :: claim
    integer(c_int64_t), intent(in), optional, target :: task(:)
    integer, intent(out), optional :: stat
    type(c_claim_options) :: details
    call claim_options(details, task)
    call finish(c_allocator_spawn(alloc%handle, path, size(path, kind=c_int64_t), details, &
                                  claim%handle), stat, "streamalloc_allocator_spawn")
  end subroutine streamalloc_allocator_spawn

  ! spawn: the paths parent + (first + k,) for k < count, one claim; with lockstep, stream k
  ! serves `task` with its last entry advanced by k.
  subroutine streamalloc_allocator_spawn_range(alloc, parent, first, count, claim, task, lockstep, &
                                               stat)
    type(streamalloc_allocator), intent(in) :: alloc
    integer(c_int64_t), intent(in) :: parent(:)
    integer(c_int64_t), intent(in) :: first, count
    type(streamalloc_claim), intent(out) :: claim
    integer(c_int64_t), intent(in), optional, target :: task(:)
    logical, intent(in), optional :: lockstep
    integer, intent(out), optional :: stat
    type(c_claim_options) :: details
    call claim_options(details, task, lockstep=lockstep)
    call finish(c_allocator_spawn_range(alloc%handle, parent, size(parent, kind=c_int64_t), first, &
                                        count, details, claim%handle), stat, &
                "streamalloc_allocator_spawn_range")
  end subroutine streamalloc_allocator_spawn_range

  ! Records that the claim's stream(s) used `used` draws (verify reports use over budget).
  subroutine streamalloc_allocator_record_use(alloc, claim, used, stat)
    type(streamalloc_allocator), intent(in) :: alloc
    type(streamalloc_claim), intent(in) :: claim
    integer(c_int64_t), intent(in) :: used
    integer, intent(out), optional :: stat
    call finish(c_allocator_record_use(alloc%handle, claim%handle, used, 0_c_int64_t), stat, &
                "streamalloc_allocator_record_use")
  end subroutine streamalloc_allocator_record_use

  subroutine streamalloc_claim_size(claim, count, stat)
    type(streamalloc_claim), intent(in) :: claim
    integer(c_int64_t), intent(out) :: count
    integer, intent(out), optional :: stat
    count = 0
    call finish(c_claim_size(claim%handle, count), stat, "streamalloc_claim_size")
  end subroutine streamalloc_claim_size

  ! Stream k (from 0) of the claim as a bit generator: the strategy's own (Philox, PCG64; PCG64
  ! for spawn paths) unless `kind` names another family for a spawn path.
  subroutine streamalloc_claim_bitgen(claim, k, gen, kind, stat)
    type(streamalloc_claim), intent(in) :: claim
    integer(c_int64_t), intent(in) :: k
    type(streamalloc_bitgen), intent(out) :: gen
    integer(c_int), intent(in), optional :: kind
    integer, intent(out), optional :: stat
    integer(c_int) :: family
    family = -1
    if (present(kind)) family = kind
    call finish(c_claim_bitgen(claim%handle, k, family, gen%handle), stat, "streamalloc_claim_bitgen")
  end subroutine streamalloc_claim_bitgen

  subroutine streamalloc_claim_free(claim, stat)
    type(streamalloc_claim), intent(inout) :: claim
    integer, intent(out), optional :: stat
    call finish(c_claim_free(claim%handle), stat, "streamalloc_claim_free")
    claim%handle = c_null_ptr
  end subroutine streamalloc_claim_free

  ! ---- drawing: Generator(gen).<method>(..., size=size(x)) -----------------------------------

  subroutine streamalloc_bitgen_free(gen, stat)
    type(streamalloc_bitgen), intent(inout) :: gen
    integer, intent(out), optional :: stat
    call finish(c_bitgen_free(gen%handle), stat, "streamalloc_bitgen_free")
    gen%handle = c_null_ptr
  end subroutine streamalloc_bitgen_free

  ! Generator.random(): doubles in [0, 1).
  subroutine streamalloc_bitgen_fill_random(gen, x, stat)
    type(streamalloc_bitgen), intent(in) :: gen
    real(c_double), intent(out) :: x(:)
    integer, intent(out), optional :: stat
    call finish(c_bitgen_fill_random(gen%handle, x, size(x, kind=c_int64_t)), stat, &
                "streamalloc_bitgen_fill_random")
  end subroutine streamalloc_bitgen_fill_random

  subroutine streamalloc_bitgen_fill_uniform(gen, x, low, high, stat)
    type(streamalloc_bitgen), intent(in) :: gen
    real(c_double), intent(out) :: x(:)
    real(c_double), intent(in) :: low, high
    integer, intent(out), optional :: stat
    call finish(c_bitgen_fill_uniform(gen%handle, low, high, x, size(x, kind=c_int64_t)), stat, &
                "streamalloc_bitgen_fill_uniform")
  end subroutine streamalloc_bitgen_fill_uniform

  subroutine streamalloc_bitgen_fill_normal(gen, x, loc, scale, stat)
    type(streamalloc_bitgen), intent(in) :: gen
    real(c_double), intent(out) :: x(:)
    real(c_double), intent(in) :: loc, scale
    integer, intent(out), optional :: stat
    call finish(c_bitgen_fill_normal(gen%handle, loc, scale, x, size(x, kind=c_int64_t)), stat, &
                "streamalloc_bitgen_fill_normal")
  end subroutine streamalloc_bitgen_fill_normal

  subroutine streamalloc_bitgen_fill_exponential(gen, x, scale, stat)
    type(streamalloc_bitgen), intent(in) :: gen
    real(c_double), intent(out) :: x(:)
    real(c_double), intent(in) :: scale
    integer, intent(out), optional :: stat
    call finish(c_bitgen_fill_exponential(gen%handle, scale, x, size(x, kind=c_int64_t)), stat, &
                "streamalloc_bitgen_fill_exponential")
  end subroutine streamalloc_bitgen_fill_exponential

  ! Generator.integers(low, high, endpoint=endpoint) (dtype int64): [low, high), or [low, high].
  subroutine streamalloc_bitgen_fill_integers(gen, k, low, high, endpoint, stat)
    type(streamalloc_bitgen), intent(in) :: gen
    integer(c_int64_t), intent(out) :: k(:)
    integer(c_int64_t), intent(in) :: low, high
    logical, intent(in), optional :: endpoint
    integer, intent(out), optional :: stat
    logical(c_bool) :: closed
    closed = .false.
    if (present(endpoint)) closed = logical(endpoint, c_bool)
    call finish(c_bitgen_fill_integers(gen%handle, low, high, closed, k, size(k, kind=c_int64_t)), &
                stat, "streamalloc_bitgen_fill_integers")
  end subroutine streamalloc_bitgen_fill_integers

  subroutine streamalloc_bitgen_fill_poisson(gen, k, lam, stat)
    type(streamalloc_bitgen), intent(in) :: gen
    integer(c_int64_t), intent(out) :: k(:)
    real(c_double), intent(in) :: lam
    integer, intent(out), optional :: stat
    call finish(c_bitgen_fill_poisson(gen%handle, lam, k, size(k, kind=c_int64_t)), stat, &
                "streamalloc_bitgen_fill_poisson")
  end subroutine streamalloc_bitgen_fill_poisson

  subroutine streamalloc_bitgen_fill_binomial(gen, k, n, p, stat)
    type(streamalloc_bitgen), intent(in) :: gen
    integer(c_int64_t), intent(out) :: k(:)
    integer(c_int64_t), intent(in) :: n
    real(c_double), intent(in) :: p
    integer, intent(out), optional :: stat
    call finish(c_bitgen_fill_binomial(gen%handle, n, p, k, size(k, kind=c_int64_t)), stat, &
                "streamalloc_bitgen_fill_binomial")
  end subroutine streamalloc_bitgen_fill_binomial

  ! Raw 64-bit words (NumPy's next_uint64), as integer(c_int64_t) with the same bits.
  subroutine streamalloc_bitgen_fill_u64(gen, k, stat)
    type(streamalloc_bitgen), intent(in) :: gen
    integer(c_int64_t), intent(out) :: k(:)
    integer, intent(out), optional :: stat
    call finish(c_bitgen_fill_u64(gen%handle, k, size(k, kind=c_int64_t)), stat, &
                "streamalloc_bitgen_fill_u64")
  end subroutine streamalloc_bitgen_fill_u64

  ! ---- verification and the run record ------------------------------------------------------

  ! COLLECTIVE. Every rank's claims compared; the same verdict on every rank.
  subroutine streamalloc_allocator_verify(alloc, verdict, stat)
    type(streamalloc_allocator), intent(in) :: alloc
    type(streamalloc_verdict), intent(out) :: verdict
    integer, intent(out), optional :: stat
    call finish(c_allocator_verify(alloc%handle, verdict%handle), stat, "streamalloc_allocator_verify")
  end subroutine streamalloc_allocator_verify

  subroutine streamalloc_verdict_clean(verdict, clean, stat)
    type(streamalloc_verdict), intent(in) :: verdict
    logical, intent(out) :: clean
    integer, intent(out), optional :: stat
    logical(c_bool) :: c_clean
    c_clean = .false.
    call finish(c_verdict_clean(verdict%handle, c_clean), stat, "streamalloc_verdict_clean")
    clean = logical(c_clean)
  end subroutine streamalloc_verdict_clean

  subroutine streamalloc_verdict_conflicts(verdict, count, stat)
    type(streamalloc_verdict), intent(in) :: verdict
    integer(c_int64_t), intent(out) :: count
    integer, intent(out), optional :: stat
    count = 0
    call finish(c_verdict_conflicts(verdict%handle, count), stat, "streamalloc_verdict_conflicts")
  end subroutine streamalloc_verdict_conflicts

  ! One line per conflict (naming both claims' ranks and tasks), then a summary line.
  subroutine streamalloc_verdict_report(verdict, report, stat)
    type(streamalloc_verdict), intent(in) :: verdict
    character(len=:), allocatable, intent(out) :: report
    integer, intent(out), optional :: stat
    character(kind=c_char), allocatable, target :: buffer(:)
    integer(c_int64_t) :: length
    integer(c_int) :: status
    integer :: i
    length = 0
    status = c_verdict_report(verdict%handle, c_null_ptr, 0_c_int64_t, length)
    if (status == STREAMALLOC_OK) then
      allocate(buffer(length + 1))
      status = c_verdict_report(verdict%handle, c_loc(buffer), length + 1, length)
    end if
    if (status == STREAMALLOC_OK) then
      allocate(character(len=length) :: report)
      do i = 1, int(length)
        report(i:i) = buffer(i)
      end do
    else
      report = ""
    end if
    call finish(status, stat, "streamalloc_verdict_report")
  end subroutine streamalloc_verdict_report

  subroutine streamalloc_verdict_free(verdict, stat)
    type(streamalloc_verdict), intent(inout) :: verdict
    integer, intent(out), optional :: stat
    call finish(c_verdict_free(verdict%handle), stat, "streamalloc_verdict_free")
    verdict%handle = c_null_ptr
  end subroutine streamalloc_verdict_free

  ! COLLECTIVE. Starts the run record at `path`: the manifest there and one shard per rank
  ! (<path>.<run>.d/<rank>.jsonl); commits the claims so far. A path that cannot be written
  ! (a missing directory) is STREAMALLOC_ERR_IO, naming it, on every rank.
  subroutine streamalloc_record_create(record, alloc, path, stat)
    type(streamalloc_record), intent(out) :: record
    type(streamalloc_allocator), intent(in) :: alloc
    character(len=*), intent(in) :: path
    integer, intent(out), optional :: stat
    call finish(c_record_create(alloc%handle, c_text(path), record%handle), stat, &
                "streamalloc_record_create")
  end subroutine streamalloc_record_create

  ! COLLECTIVE. The same for a run restarted from a checkpoint: `resumed_from` is the position
  ! streamalloc_record_checkpoint_position gave the interrupted run (rank 0's is used; the other
  ! ranks may pass ""). It must be a position of alloc's campaign and job.
  subroutine streamalloc_record_create_resumed(record, alloc, path, resumed_from, stat)
    type(streamalloc_record), intent(out) :: record
    type(streamalloc_allocator), intent(in) :: alloc
    character(len=*), intent(in) :: path, resumed_from
    integer, intent(out), optional :: stat
    call finish(c_record_create_resumed(alloc%handle, c_text(path), c_text(resumed_from), &
                                        record%handle), stat, "streamalloc_record_create_resumed")
  end subroutine streamalloc_record_create_resumed

  ! COLLECTIVE. Commits the claims made since the last commit (only those: O(new claims)).
  subroutine streamalloc_record_checkpoint(record, stat)
    type(streamalloc_record), intent(in) :: record
    integer, intent(out), optional :: stat
    call finish(c_record_checkpoint(record%handle), stat, "streamalloc_record_checkpoint")
  end subroutine streamalloc_record_checkpoint

  ! Local. Waits for the last checkpoint's commit and gives its position (text, the same on every
  ! rank), for the program's own checkpoint: a restart passes it to
  ! streamalloc_record_create_resumed.
  subroutine streamalloc_record_checkpoint_position(record, position, stat)
    type(streamalloc_record), intent(in) :: record
    character(len=:), allocatable, intent(out) :: position
    integer, intent(out), optional :: stat
    character(kind=c_char), allocatable, target :: buffer(:)
    integer(c_int64_t) :: length
    integer(c_int) :: status
    integer :: i
    length = 0
    status = c_record_checkpoint_position(record%handle, c_null_ptr, 0_c_int64_t, length)
    if (status == STREAMALLOC_OK) then
      allocate(buffer(length + 1))
      status = c_record_checkpoint_position(record%handle, c_loc(buffer), length + 1, length)
    end if
    if (status == STREAMALLOC_OK) then
      allocate(character(len=length) :: position)
      do i = 1, int(length)
        position(i:i) = buffer(i)
      end do
    else
      position = ""
    end if
    call finish(status, stat, "streamalloc_record_checkpoint_position")
  end subroutine streamalloc_record_checkpoint_position

  ! Local. The campaign (new) and job of a stored position: what a restarted run uses.
  subroutine streamalloc_record_position_campaign(position, c, job, stat)
    character(len=*), intent(in) :: position
    type(streamalloc_campaign), intent(out) :: c
    integer(c_int64_t), intent(out) :: job
    integer, intent(out), optional :: stat
    job = 0
    call finish(c_record_position_campaign(c_text(position), c%handle, job), stat, &
                "streamalloc_record_position_campaign")
  end subroutine streamalloc_record_position_campaign

  ! Local. Where a new run continues after the runs of these manifests: its job (run_job; `job`
  ! if given, else a job no manifest used) and the first Philox stream ID and jump index of that
  ! job no earlier run claimed (the allocator's resume_stream, resume_jump), and one past the
  ! largest job seen. `expected`, if given, refuses manifests of another campaign.
  subroutine streamalloc_resume_point(manifests, run_job, next_stream, next_jump, next_job, &
                                      expected, job, stat)
    character(len=*), intent(in) :: manifests(:)
    integer(c_int64_t), intent(out) :: run_job, next_stream, next_jump, next_job
    type(streamalloc_campaign), intent(in), optional :: expected
    integer(c_int64_t), intent(in), optional :: job
    integer, intent(out), optional :: stat
    character(kind=c_char), allocatable, target :: text(:, :)
    type(c_ptr), allocatable :: pointers(:)
    type(c_ptr) :: campaign
    integer(c_int64_t) :: which
    integer :: i, k, n
    allocate(text(len(manifests) + 1, size(manifests)), pointers(max(1, size(manifests))))
    do i = 1, size(manifests)
      n = len_trim(manifests(i))
      do k = 1, n
        text(k, i) = manifests(i)(k:k)
      end do
      text(n + 1, i) = c_null_char
      pointers(i) = c_loc(text(1, i))
    end do
    campaign = c_null_ptr
    if (present(expected)) campaign = expected%handle
    which = -1
    if (present(job)) which = job
    run_job = 0
    next_stream = 0
    next_jump = 0
    next_job = 0
    call finish(c_resume_point(pointers, size(manifests, kind=c_int64_t), campaign, which, &
                               run_job, next_stream, next_jump, next_job), stat, &
                "streamalloc_resume_point")
  end subroutine streamalloc_resume_point

  ! COLLECTIVE. The final commit; a second close (or a checkpoint after it) is an invalid argument.
  subroutine streamalloc_record_close(record, stat)
    type(streamalloc_record), intent(in) :: record
    integer, intent(out), optional :: stat
    call finish(c_record_close(record%handle), stat, "streamalloc_record_close")
  end subroutine streamalloc_record_close

  ! Local. Waits for commits in flight; an unclosed record reads back as its last commit.
  subroutine streamalloc_record_free(record, stat)
    type(streamalloc_record), intent(inout) :: record
    integer, intent(out), optional :: stat
    call finish(c_record_free(record%handle), stat, "streamalloc_record_free")
    record%handle = c_null_ptr
  end subroutine streamalloc_record_free

end module streamalloc
