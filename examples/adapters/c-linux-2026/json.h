/* A tiny JSON reader and writer, enough for the xvc adapter protocol: one document per line, parsed
 * into a tree that lives in an arena freed after each request. Never crashes on bad input: a parse
 * error is reported, not undefined behaviour. */
#ifndef XVC_JSON_H
#define XVC_JSON_H
#include <stddef.h>
#include <stdint.h>

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;

typedef struct jval {
  jtype type;
  int boolean;
  double number;
  char *string;         /* J_STR: NUL-terminated UTF-8 (embedded NULs are rejected) */
  size_t count;         /* J_ARR, J_OBJ */
  struct jval **items;  /* J_ARR items, J_OBJ values */
  char **keys;          /* J_OBJ keys */
} jval;

/* Frees every value parsed since the last reset. */
void json_reset(void);
/* Parses one document; NULL on error, with a message in *error. */
jval *json_parse(const char *text, size_t length, const char **error);
/* Member of an object (the first with that key), or NULL. */
jval *json_get(const jval *object, const char *key);
/* Convenience accessors: NULL / 0 when absent or of another type. */
const char *json_str(const jval *object, const char *key);
int json_is(const jval *value, jtype type);
/* True when the value is an integer in [0, 2^53]. */
int json_is_uint(const jval *value);

/* Output buffer. */
typedef struct { char *data; size_t length, capacity; } jout;
void out_raw(jout *out, const char *text);
void out_char(jout *out, char c);
void out_string(jout *out, const char *text);
void out_uint(jout *out, uint64_t value);
void out_hex(jout *out, uint64_t value);
#endif
