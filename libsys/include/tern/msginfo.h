/*
 * Message info: the word that describes a message.
 *   bits  0..9   length in message words (0..TERN_MSG_MAX_WORDS)
 *   bits 10..11  number of capabilities sent (0..3)
 *   bits 12..14  on receive: which of them were unwrapped to badges
 *   bits 15..63  label (the operation, or an invocation label)
 */
#ifndef TERN_MSGINFO_H
#define TERN_MSGINFO_H

#include <stdint.h>

#define TERN_MSG_REG_WORDS 4   /* MR0..MR3 travel in registers */
#define TERN_MSG_MAX_WORDS 440 /* 3,520 bytes of payload */
#define TERN_MSG_MAX_CAPS 3

typedef uint64_t tern_msginfo_t;

static inline tern_msginfo_t tern_msginfo(uint64_t label, unsigned caps, unsigned length)
{
	return (label << 15) | ((uint64_t)(caps & 3) << 10) | (length & 0x3ff);
}

static inline uint64_t tern_msginfo_label(tern_msginfo_t m)
{
	return m >> 15;
}

static inline unsigned tern_msginfo_length(tern_msginfo_t m)
{
	return (unsigned)(m & 0x3ff);
}

static inline unsigned tern_msginfo_caps(tern_msginfo_t m)
{
	return (unsigned)((m >> 10) & 3);
}

static inline unsigned tern_msginfo_unwrapped(tern_msginfo_t m)
{
	return (unsigned)((m >> 12) & 7);
}

#endif
