/*
 * The C reference of the bench's allreduce group: plain MPI_Allreduce of float32 buffers, timed the same way
 * as rank.mjs times @flux/distributed. Compiled with `mpicc -O2` into the OS temp dir by the bench run.
 *
 * usage: mpirun -n N allreduce_bench [--nonblocking] [--in-place] BYTES:WARMUP:REPS [BYTES:WARMUP:REPS ...]
 *
 * --nonblocking: MPI_Iallreduce completed by an MPI_Test loop instead of MPI_Allreduce. That is how
 * @flux/distributed's MPIBackend calls MPI (so that a deadline can interrupt a stuck collective), and Open MPI
 * runs it through another component (libnbc) than the blocking call: this row tells that cost from ours.
 * --in-place: MPI_IN_PLACE on one buffer (what MPIBackend passes for the caller's array) instead of a send and a
 * receive buffer.
 *
 * Per size: one checked allreduce (rank r sends r + 1, everyone must get N(N+1)/2), WARMUP untimed ones, then
 * REPS timed ones, each after an MPI_Barrier, timed on rank 0 with MPI_Wtime. Rank 0 prints one line per size:
 *   RESULT {"impl":"c" (or "c-nonblocking"),"bytes":B,"ranks":N,"times":[seconds, ...]}
 * (raw times: the harness takes the median, for this program and ours alike).
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nonblocking = 0;
static int in_place = 0;

/* One allreduce, blocking or as MPIBackend issues it (Iallreduce, then MPI_Test until it completes); with
 * --in-place, on one buffer (MPI_IN_PLACE), as MPIBackend does on the caller's array. */
static void allreduce(const float *send, float *recv, int n) {
  const void *src = in_place ? MPI_IN_PLACE : (const void *)send;
  if (!nonblocking) {
    MPI_Allreduce(src, recv, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    return;
  }
  MPI_Request req;
  int done = 0;
  MPI_Iallreduce(src, recv, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD, &req);
  while (!done) MPI_Test(&req, &done, MPI_STATUS_IGNORE);
}

static int parse_spec(const char *s, long *bytes, int *warmup, int *reps) {
  return sscanf(s, "%ld:%d:%d", bytes, warmup, reps) == 3 && *bytes >= 4 && *warmup >= 0 && *reps >= 1;
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  for (int a = 1; a < argc; a++) {
    if (strcmp(argv[a], "--nonblocking") == 0) {
      nonblocking = 1;
      continue;
    }
    if (strcmp(argv[a], "--in-place") == 0) {
      in_place = 1;
      continue;
    }
    long bytes;
    int warmup, reps;
    if (!parse_spec(argv[a], &bytes, &warmup, &reps)) {
      if (rank == 0) fprintf(stderr, "allreduce_bench: bad spec '%s', expected BYTES:WARMUP:REPS\n", argv[a]);
      MPI_Abort(MPI_COMM_WORLD, 2);
    }
    int n = (int)(bytes / 4);
    float *send = malloc((size_t)n * sizeof(float));
    float *recv = malloc((size_t)n * sizeof(float));
    double *times = malloc((size_t)reps * sizeof(double));
    if (!send || !recv || !times) {
      fprintf(stderr, "allreduce_bench: rank %d could not allocate %ld bytes\n", rank, bytes);
      MPI_Abort(MPI_COMM_WORLD, 3);
    }
    for (int i = 0; i < n; i++) send[i] = recv[i] = (float)(rank + 1);
    allreduce(send, recv, n);
    const float expected = (float)size * (float)(size + 1) / 2.0f;
    if (recv[0] != expected || recv[n - 1] != expected) {
      fprintf(stderr, "allreduce_bench: rank %d got %g, expected %g\n", rank, recv[0], expected);
      MPI_Abort(MPI_COMM_WORLD, 4);
    }
    /* In place, each call sums the previous result: zeros keep it finite (rank.mjs does the same). */
    if (in_place) memset(recv, 0, (size_t)n * sizeof(float));
    for (int i = 0; i < warmup; i++) {
      MPI_Barrier(MPI_COMM_WORLD);
      allreduce(send, recv, n);
    }
    for (int i = 0; i < reps; i++) {
      MPI_Barrier(MPI_COMM_WORLD);
      double t0 = MPI_Wtime();
      allreduce(send, recv, n);
      times[i] = MPI_Wtime() - t0;
    }
    if (rank == 0) {
      printf("RESULT {\"impl\":\"%s%s\",\"bytes\":%ld,\"ranks\":%d,\"times\":[", nonblocking ? "c-nonblocking" : "c",
             in_place ? "-in-place" : "", bytes, size);
      for (int i = 0; i < reps; i++) printf("%s%.9e", i ? "," : "", times[i]);
      printf("]}\n");
      fflush(stdout);
    }
    free(send);
    free(recv);
    free(times);
  }
  MPI_Finalize();
  return 0;
}
