! Without `stat`, an error stops the program with the C API's message (ctest
! fortran.error_stop looks for it, and fails on "NOT STOPPED").
program fortran_error_stop
  use mpi
  use streamalloc
  implicit none
  type(streamalloc_campaign) :: campaign
  integer :: ierr
  call MPI_Init(ierr)
  call streamalloc_campaign_create(campaign, "12x45", STREAMALLOC_STRATEGY_PHILOX)
  write(*, '(a)') "NOT STOPPED"
  call MPI_Finalize(ierr)
end program fortran_error_stop
