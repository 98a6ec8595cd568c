// What waking a sleeping process costs on this machine: a one-byte pipe ping-pong between a parent
// pinned to one CPU and a child pinned to another (or the same), with the parent sleeping `gap`
// microseconds before each round trip so the child's CPU goes idle in between.
// Build and run: cc -O2 wake-cost.c -o /tmp/wake-cost && /tmp/wake-cost 3000 1000 0 1
// (round trips, gap in µs, parent CPU, child CPU).
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <unistd.h>
#include <time.h>
#include <stdlib.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e6+t.tv_nsec/1e3;}
static void pin(int c){cpu_set_t s;CPU_ZERO(&s);CPU_SET(c,&s);sched_setaffinity(0,sizeof s,&s);}
int main(int argc,char**argv){if(argc<5){fprintf(stderr,"usage: wake-cost ROUNDS GAP_US PARENT_CPU CHILD_CPU\n");return 2;}int n=atoi(argv[1]);int gap=atoi(argv[2]);int pc=atoi(argv[3]),cc=atoi(argv[4]);int a[2],b[2];pipe(a);pipe(b);char c='x';
if(fork()==0){pin(cc);for(int i=0;i<n;i++){read(a[0],&c,1);write(b[1],&c,1);}return 0;}
pin(pc);usleep(1000);
double tot=0,w=0;
for(int i=0;i<n;i++){if(gap)usleep(gap);double t0=now();write(a[1],&c,1);double t1=now();read(b[0],&c,1);double t2=now();tot+=t2-t0;w+=t1-t0;}
printf("gap %d cpus %d/%d: %.1f us/roundtrip, write %.1f us\n",gap,pc,cc,tot/n,w/n);return 0;}
