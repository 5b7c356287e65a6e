! streamalloc_c_interfaces — INTERNAL: ISO_C_BINDING interfaces to the C API (streamalloc.h,
! streamalloc_mpi.h), one per C function the Fortran module uses. Each Fortran name is the C name
! with a leading "c_"; unsigned C integers are passed as integer(c_int64_t) (same bits). The
! public module `streamalloc` (streamalloc.f90) wraps these in Fortran habits.
module streamalloc_c_interfaces
  use, intrinsic :: iso_c_binding
  implicit none
  public

  ! streamalloc_allocator_options (streamalloc_mpi.h), field for field.
  type, bind(c) :: c_allocator_options
    integer(c_int64_t) :: block_size
    integer(c_int64_t) :: dynamic_block_size
    integer(c_int) :: dynamic_policy
    integer(c_int64_t) :: resume_stream
    integer(c_int64_t) :: resume_jump
    integer(c_int64_t) :: budget_lo
    integer(c_int64_t) :: budget_hi
  end type c_allocator_options

  ! streamalloc_claim_options (streamalloc_mpi.h), field for field.
  type, bind(c) :: c_claim_options
    type(c_ptr) :: task
    integer(c_int64_t) :: task_depth
    logical(c_bool) :: has_budget
    integer(c_int64_t) :: budget_lo
    integer(c_int64_t) :: budget_hi
    integer(c_int) :: tasks
  end type c_claim_options

  interface
    function c_last_error() bind(c, name="streamalloc_last_error")
      import :: c_ptr
      type(c_ptr) :: c_last_error
    end function c_last_error

    function c_strlen(s) bind(c, name="strlen")
      import :: c_ptr, c_size_t
      type(c_ptr), value :: s
      integer(c_size_t) :: c_strlen
    end function c_strlen

    ! ---- runtimes (streamalloc_mpi.h) ----
    function c_runtime_create_f(comm, out) bind(c, name="streamalloc_runtime_create_f")
      import :: c_int, c_ptr
      integer(c_int), value :: comm
      type(c_ptr) :: out
      integer(c_int) :: c_runtime_create_f
    end function c_runtime_create_f

    function c_runtime_free(rt) bind(c, name="streamalloc_runtime_free")
      import :: c_int, c_ptr
      type(c_ptr), value :: rt
      integer(c_int) :: c_runtime_free
    end function c_runtime_free

    function c_runtime_rank(rt, rank) bind(c, name="streamalloc_runtime_rank")
      import :: c_int, c_ptr
      type(c_ptr), value :: rt
      integer(c_int) :: rank
      integer(c_int) :: c_runtime_rank
    end function c_runtime_rank

    function c_runtime_size(rt, size) bind(c, name="streamalloc_runtime_size")
      import :: c_int, c_ptr
      type(c_ptr), value :: rt
      integer(c_int) :: size
      integer(c_int) :: c_runtime_size
    end function c_runtime_size

    ! ---- campaigns ----
    function c_campaign_create(root, strategy, pool_size, out) bind(c, name="streamalloc_campaign_create")
      import :: c_int, c_ptr, c_char, c_int64_t
      character(kind=c_char), intent(in) :: root(*)
      integer(c_int), value :: strategy
      integer(c_int64_t), value :: pool_size
      type(c_ptr) :: out
      integer(c_int) :: c_campaign_create
    end function c_campaign_create

    function c_campaign_free(c) bind(c, name="streamalloc_campaign_free")
      import :: c_int, c_ptr
      type(c_ptr), value :: c
      integer(c_int) :: c_campaign_free
    end function c_campaign_free

    ! ---- allocators ----
    function c_allocator_options_init(options) bind(c, name="streamalloc_allocator_options_init")
      import :: c_int, c_allocator_options
      type(c_allocator_options) :: options
      integer(c_int) :: c_allocator_options_init
    end function c_allocator_options_init

    function c_claim_options_init(options) bind(c, name="streamalloc_claim_options_init")
      import :: c_int, c_claim_options
      type(c_claim_options) :: options
      integer(c_int) :: c_claim_options_init
    end function c_claim_options_init

    function c_allocator_create(rt, c, job, options, out) bind(c, name="streamalloc_allocator_create")
      import :: c_int, c_ptr, c_int64_t, c_allocator_options
      type(c_ptr), value :: rt
      type(c_ptr), value :: c
      integer(c_int64_t), value :: job
      type(c_allocator_options), intent(in) :: options
      type(c_ptr) :: out
      integer(c_int) :: c_allocator_create
    end function c_allocator_create

    function c_allocator_free(alloc) bind(c, name="streamalloc_allocator_free")
      import :: c_int, c_ptr
      type(c_ptr), value :: alloc
      integer(c_int) :: c_allocator_free
    end function c_allocator_free

    ! One index: philox_static, philox_explicit, jumped_static, jumped_explicit, spawn_rank.
    function c_allocator_philox_static(alloc, index, details, out) &
        bind(c, name="streamalloc_allocator_philox_static")
      import :: c_int, c_ptr, c_int64_t, c_claim_options
      type(c_ptr), value :: alloc
      integer(c_int64_t), value :: index
      type(c_claim_options), intent(in) :: details
      type(c_ptr) :: out
      integer(c_int) :: c_allocator_philox_static
    end function c_allocator_philox_static

    function c_allocator_philox_explicit(alloc, index, details, out) &
        bind(c, name="streamalloc_allocator_philox_explicit")
      import :: c_int, c_ptr, c_int64_t, c_claim_options
      type(c_ptr), value :: alloc
      integer(c_int64_t), value :: index
      type(c_claim_options), intent(in) :: details
      type(c_ptr) :: out
      integer(c_int) :: c_allocator_philox_explicit
    end function c_allocator_philox_explicit

    function c_allocator_jumped_static(alloc, index, details, out) &
        bind(c, name="streamalloc_allocator_jumped_static")
      import :: c_int, c_ptr, c_int64_t, c_claim_options
      type(c_ptr), value :: alloc
      integer(c_int64_t), value :: index
      type(c_claim_options), intent(in) :: details
      type(c_ptr) :: out
      integer(c_int) :: c_allocator_jumped_static
    end function c_allocator_jumped_static

    function c_allocator_jumped_explicit(alloc, index, details, out) &
        bind(c, name="streamalloc_allocator_jumped_explicit")
      import :: c_int, c_ptr, c_int64_t, c_claim_options
      type(c_ptr), value :: alloc
      integer(c_int64_t), value :: index
      type(c_claim_options), intent(in) :: details
      type(c_ptr) :: out
      integer(c_int) :: c_allocator_jumped_explicit
    end function c_allocator_jumped_explicit

    function c_allocator_spawn_rank(alloc, index, details, out) &
        bind(c, name="streamalloc_allocator_spawn_rank")
      import :: c_int, c_ptr, c_int64_t, c_claim_options
      type(c_ptr), value :: alloc
      integer(c_int64_t), value :: index
      type(c_claim_options), intent(in) :: details
      type(c_ptr) :: out
      integer(c_int) :: c_allocator_spawn_rank
    end function c_allocator_spawn_rank

    ! No index: philox_dynamic, jumped_dynamic.
    function c_allocator_philox_dynamic(alloc, details, out) &
        bind(c, name="streamalloc_allocator_philox_dynamic")
      import :: c_int, c_ptr, c_claim_options
      type(c_ptr), value :: alloc
      type(c_claim_options), intent(in) :: details
      type(c_ptr) :: out
      integer(c_int) :: c_allocator_philox_dynamic
    end function c_allocator_philox_dynamic

    function c_allocator_jumped_dynamic(alloc, details, out) &
        bind(c, name="streamalloc_allocator_jumped_dynamic")
      import :: c_int, c_ptr, c_claim_options
      type(c_ptr), value :: alloc
      type(c_claim_options), intent(in) :: details
      type(c_ptr) :: out
      integer(c_int) :: c_allocator_jumped_dynamic
    end function c_allocator_jumped_dynamic

    ! Runs: philox_range, jumped_range (first, count).
    function c_allocator_philox_range(alloc, first, count, details, out) &
        bind(c, name="streamalloc_allocator_philox_range")
      import :: c_int, c_ptr, c_int64_t, c_claim_options
      type(c_ptr), value :: alloc
      integer(c_int64_t), value :: first, count
      type(c_claim_options), intent(in) :: details
      type(c_ptr) :: out
      integer(c_int) :: c_allocator_philox_range
    end function c_allocator_philox_range

    function c_allocator_jumped_range(alloc, first, count, details, out) &
        bind(c, name="streamalloc_allocator_jumped_range")
      import :: c_int, c_ptr, c_int64_t, c_claim_options
      type(c_ptr), value :: alloc
      integer(c_int64_t), value :: first, count
      type(c_claim_options), intent(in) :: details
      type(c_ptr) :: out
      integer(c_int) :: c_allocator_jumped_range
    end function c_allocator_jumped_range

    function c_allocator_spawn(alloc, path, depth, details, out) bind(c, name="streamalloc_allocator_spawn")
      import :: c_int, c_ptr, c_int64_t, c_claim_options
      type(c_ptr), value :: alloc
      integer(c_int64_t), intent(in) :: path(*)
      integer(c_int64_t), value :: depth
      type(c_claim_options), intent(in) :: details
      type(c_ptr) :: out
      integer(c_int) :: c_allocator_spawn
    end function c_allocator_spawn

    function c_allocator_spawn_range(alloc, parent, depth, first, count, details, out) &
        bind(c, name="streamalloc_allocator_spawn_range")
      import :: c_int, c_ptr, c_int64_t, c_claim_options
      type(c_ptr), value :: alloc
      integer(c_int64_t), intent(in) :: parent(*)
      integer(c_int64_t), value :: depth, first, count
      type(c_claim_options), intent(in) :: details
      type(c_ptr) :: out
      integer(c_int) :: c_allocator_spawn_range
    end function c_allocator_spawn_range

    function c_allocator_record_use(alloc, claim, used_lo, used_hi) &
        bind(c, name="streamalloc_allocator_record_use")
      import :: c_int, c_ptr, c_int64_t
      type(c_ptr), value :: alloc, claim
      integer(c_int64_t), value :: used_lo, used_hi
      integer(c_int) :: c_allocator_record_use
    end function c_allocator_record_use

    function c_claim_size(claim, count) bind(c, name="streamalloc_claim_size")
      import :: c_int, c_ptr, c_int64_t
      type(c_ptr), value :: claim
      integer(c_int64_t) :: count
      integer(c_int) :: c_claim_size
    end function c_claim_size

    function c_claim_bitgen(claim, k, kind, out) bind(c, name="streamalloc_claim_bitgen")
      import :: c_int, c_ptr, c_int64_t
      type(c_ptr), value :: claim
      integer(c_int64_t), value :: k
      integer(c_int), value :: kind
      type(c_ptr) :: out
      integer(c_int) :: c_claim_bitgen
    end function c_claim_bitgen

    function c_claim_free(claim) bind(c, name="streamalloc_claim_free")
      import :: c_int, c_ptr
      type(c_ptr), value :: claim
      integer(c_int) :: c_claim_free
    end function c_claim_free

    ! ---- bit generators and distributions ----
    function c_bitgen_free(gen) bind(c, name="streamalloc_bitgen_free")
      import :: c_int, c_ptr
      type(c_ptr), value :: gen
      integer(c_int) :: c_bitgen_free
    end function c_bitgen_free

    function c_bitgen_fill_random(gen, out, n) bind(c, name="streamalloc_bitgen_fill_random")
      import :: c_int, c_ptr, c_int64_t, c_double
      type(c_ptr), value :: gen
      real(c_double) :: out(*)
      integer(c_int64_t), value :: n
      integer(c_int) :: c_bitgen_fill_random
    end function c_bitgen_fill_random

    function c_bitgen_fill_uniform(gen, low, high, out, n) bind(c, name="streamalloc_bitgen_fill_uniform")
      import :: c_int, c_ptr, c_int64_t, c_double
      type(c_ptr), value :: gen
      real(c_double), value :: low, high
      real(c_double) :: out(*)
      integer(c_int64_t), value :: n
      integer(c_int) :: c_bitgen_fill_uniform
    end function c_bitgen_fill_uniform

    function c_bitgen_fill_normal(gen, loc, scale, out, n) bind(c, name="streamalloc_bitgen_fill_normal")
      import :: c_int, c_ptr, c_int64_t, c_double
      type(c_ptr), value :: gen
      real(c_double), value :: loc, scale
      real(c_double) :: out(*)
      integer(c_int64_t), value :: n
      integer(c_int) :: c_bitgen_fill_normal
    end function c_bitgen_fill_normal

    function c_bitgen_fill_exponential(gen, scale, out, n) bind(c, name="streamalloc_bitgen_fill_exponential")
      import :: c_int, c_ptr, c_int64_t, c_double
      type(c_ptr), value :: gen
      real(c_double), value :: scale
      real(c_double) :: out(*)
      integer(c_int64_t), value :: n
      integer(c_int) :: c_bitgen_fill_exponential
    end function c_bitgen_fill_exponential

    function c_bitgen_fill_integers(gen, low, high, endpoint, out, n) bind(c, name="streamalloc_bitgen_fill_integers")
      import :: c_int, c_ptr, c_int64_t, c_bool
      type(c_ptr), value :: gen
      integer(c_int64_t), value :: low, high
      logical(c_bool), value :: endpoint
      integer(c_int64_t) :: out(*)
      integer(c_int64_t), value :: n
      integer(c_int) :: c_bitgen_fill_integers
    end function c_bitgen_fill_integers

    function c_bitgen_fill_poisson(gen, lam, out, n) bind(c, name="streamalloc_bitgen_fill_poisson")
      import :: c_int, c_ptr, c_int64_t, c_double
      type(c_ptr), value :: gen
      real(c_double), value :: lam
      integer(c_int64_t) :: out(*)
      integer(c_int64_t), value :: n
      integer(c_int) :: c_bitgen_fill_poisson
    end function c_bitgen_fill_poisson

    function c_bitgen_fill_binomial(gen, trials, p, out, n) bind(c, name="streamalloc_bitgen_fill_binomial")
      import :: c_int, c_ptr, c_int64_t, c_double
      type(c_ptr), value :: gen
      integer(c_int64_t), value :: trials
      real(c_double), value :: p
      integer(c_int64_t) :: out(*)
      integer(c_int64_t), value :: n
      integer(c_int) :: c_bitgen_fill_binomial
    end function c_bitgen_fill_binomial

    function c_bitgen_fill_u64(gen, out, n) bind(c, name="streamalloc_bitgen_fill_u64")
      import :: c_int, c_ptr, c_int64_t
      type(c_ptr), value :: gen
      integer(c_int64_t) :: out(*)
      integer(c_int64_t), value :: n
      integer(c_int) :: c_bitgen_fill_u64
    end function c_bitgen_fill_u64

    ! ---- verification, audit and the run record ----
    function c_allocator_verify(alloc, out) bind(c, name="streamalloc_allocator_verify")
      import :: c_int, c_ptr
      type(c_ptr), value :: alloc
      type(c_ptr) :: out
      integer(c_int) :: c_allocator_verify
    end function c_allocator_verify

    function c_verdict_clean(v, clean) bind(c, name="streamalloc_verdict_clean")
      import :: c_int, c_ptr, c_bool
      type(c_ptr), value :: v
      logical(c_bool) :: clean
      integer(c_int) :: c_verdict_clean
    end function c_verdict_clean

    function c_verdict_conflicts(v, count) bind(c, name="streamalloc_verdict_conflicts")
      import :: c_int, c_ptr, c_int64_t
      type(c_ptr), value :: v
      integer(c_int64_t) :: count
      integer(c_int) :: c_verdict_conflicts
    end function c_verdict_conflicts

    function c_verdict_report(v, buf, capacity, length) bind(c, name="streamalloc_verdict_report")
      import :: c_int, c_ptr, c_int64_t
      type(c_ptr), value :: v
      type(c_ptr), value :: buf
      integer(c_int64_t), value :: capacity
      integer(c_int64_t) :: length
      integer(c_int) :: c_verdict_report
    end function c_verdict_report

    function c_verdict_free(v) bind(c, name="streamalloc_verdict_free")
      import :: c_int, c_ptr
      type(c_ptr), value :: v
      integer(c_int) :: c_verdict_free
    end function c_verdict_free

    function c_record_create(alloc, path, out) bind(c, name="streamalloc_record_create")
      import :: c_int, c_ptr, c_char
      type(c_ptr), value :: alloc
      character(kind=c_char), intent(in) :: path(*)
      type(c_ptr) :: out
      integer(c_int) :: c_record_create
    end function c_record_create

    function c_record_create_resumed(alloc, path, resumed_from, out) &
        bind(c, name="streamalloc_record_create_resumed")
      import :: c_int, c_ptr, c_char
      type(c_ptr), value :: alloc
      character(kind=c_char), intent(in) :: path(*), resumed_from(*)
      type(c_ptr) :: out
      integer(c_int) :: c_record_create_resumed
    end function c_record_create_resumed

    function c_record_checkpoint_position(record, buf, capacity, length) &
        bind(c, name="streamalloc_record_checkpoint_position")
      import :: c_int, c_ptr, c_int64_t
      type(c_ptr), value :: record
      type(c_ptr), value :: buf
      integer(c_int64_t), value :: capacity
      integer(c_int64_t) :: length
      integer(c_int) :: c_record_checkpoint_position
    end function c_record_checkpoint_position

    function c_record_position_campaign(position, campaign, job) &
        bind(c, name="streamalloc_record_position_campaign")
      import :: c_int, c_ptr, c_char, c_int64_t
      character(kind=c_char), intent(in) :: position(*)
      type(c_ptr) :: campaign
      integer(c_int64_t) :: job
      integer(c_int) :: c_record_position_campaign
    end function c_record_position_campaign

    function c_resume_point(manifests, n, expected, job, run_job, next_stream, next_jump, &
                            next_job) bind(c, name="streamalloc_resume_point")
      import :: c_int, c_ptr, c_int64_t
      type(c_ptr), intent(in) :: manifests(*)
      integer(c_int64_t), value :: n
      type(c_ptr), value :: expected
      integer(c_int64_t), value :: job
      integer(c_int64_t) :: run_job, next_stream, next_jump, next_job
      integer(c_int) :: c_resume_point
    end function c_resume_point

    function c_record_checkpoint(record) bind(c, name="streamalloc_record_checkpoint")
      import :: c_int, c_ptr
      type(c_ptr), value :: record
      integer(c_int) :: c_record_checkpoint
    end function c_record_checkpoint

    function c_record_close(record) bind(c, name="streamalloc_record_close")
      import :: c_int, c_ptr
      type(c_ptr), value :: record
      integer(c_int) :: c_record_close
    end function c_record_close

    function c_record_free(record) bind(c, name="streamalloc_record_free")
      import :: c_int, c_ptr
      type(c_ptr), value :: record
      integer(c_int) :: c_record_free
    end function c_record_free
  end interface
end module streamalloc_c_interfaces
