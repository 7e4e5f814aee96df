/* Loading and starting the root task (kernel/core/roottask.c). */
#ifndef KERNEL_ROOTTASK_H
#define KERNEL_ROOTTASK_H

void roottask_start(void);

#endif
