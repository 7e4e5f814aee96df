/* The protocol between the IPC test and its echo server child. */
#ifndef GUEST_PROTO_H
#define GUEST_PROTO_H

#include "sys/spawn.h"

#define ECHO_ECHO 1
#define ECHO_SIGNAL_CAP 2
#define ECHO_DEFER 3
#define ECHO_LONG 4 /* reply with as many words as arrived, each complemented */
#define ECHO_INFO 5 /* reply MR0 = the info word as it arrived */

/* Slots in the child's CNode. */
#define TERN_CHILD_SLOT_CNODE_SELF TERN_CHILD_SLOT_CNODE
#define TERN_CHILD_SLOT_ARG_CAP_SELF TERN_CHILD_SLOT_ARG_CAP
#define ECHO_REPLY_A 11
#define ECHO_REPLY_B 12
#define ECHO_RECV_SLOT 13

#endif
