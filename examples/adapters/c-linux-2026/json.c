#include "json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

/* Arena: blocks chained, all freed at once. */
typedef struct block { struct block *next; size_t used, size; char data[]; } block;
static block *arena;

static void *arena_alloc(size_t size) {
  size = (size + 15) & ~(size_t)15;
  if (!arena || arena->used + size > arena->size) {
    size_t capacity = size > 65536 ? size : 65536;
    block *fresh = malloc(sizeof(block) + capacity);
    if (!fresh) { fputs("out of memory\n", stderr); exit(70); }
    fresh->next = arena; fresh->used = 0; fresh->size = capacity; arena = fresh;
  }
  void *pointer = arena->data + arena->used;
  arena->used += size;
  return pointer;
}

void json_reset(void) {
  while (arena) { block *next = arena->next; free(arena); arena = next; }
}

typedef struct { const char *s; size_t i, n; const char *error; } parser;

static void skip_ws(parser *p) {
  while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r')) p->i++;
}

static jval *make(jtype type) {
  jval *value = arena_alloc(sizeof(jval));
  memset(value, 0, sizeof(*value));
  value->type = type;
  return value;
}

static jval *fail(parser *p, const char *message) { if (!p->error) p->error = message; return NULL; }

static int hex4(parser *p, unsigned *out) {
  if (p->i + 4 > p->n) return 0;
  unsigned value = 0;
  for (int k = 0; k < 4; k++) {
    char c = p->s[p->i++];
    value <<= 4;
    if (c >= '0' && c <= '9') value |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') value |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') value |= (unsigned)(c - 'A' + 10);
    else return 0;
  }
  *out = value;
  return 1;
}

static char *parse_string_raw(parser *p) {
  p->i++; /* opening quote */
  /* Escapes never make the text longer than its source, \u included (6 source bytes, <= 4 out). */
  size_t start = p->i, end = start;
  while (end < p->n && p->s[end] != '"') { if (p->s[end] == '\\') end++; end++; }
  if (end >= p->n) { fail(p, "unterminated string"); return NULL; }
  char *out = arena_alloc(end - start + 1);
  size_t o = 0;
  while (p->i < p->n && p->s[p->i] != '"') {
    unsigned char c = (unsigned char)p->s[p->i++];
    if (c < 0x20) { fail(p, "control character in string"); return NULL; }
    if (c != '\\') { out[o++] = (char)c; continue; }
    if (p->i >= p->n) { fail(p, "bad escape"); return NULL; }
    char e = p->s[p->i++];
    switch (e) {
      case '"': out[o++] = '"'; break;
      case '\\': out[o++] = '\\'; break;
      case '/': out[o++] = '/'; break;
      case 'b': out[o++] = '\b'; break;
      case 'f': out[o++] = '\f'; break;
      case 'n': out[o++] = '\n'; break;
      case 'r': out[o++] = '\r'; break;
      case 't': out[o++] = '\t'; break;
      case 'u': {
        unsigned code;
        if (!hex4(p, &code)) { fail(p, "bad \\u escape"); return NULL; }
        if (code >= 0xD800 && code <= 0xDBFF) {
          unsigned low;
          if (p->i + 6 > p->n || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u') { fail(p, "lone surrogate"); return NULL; }
          p->i += 2;
          if (!hex4(p, &low) || low < 0xDC00 || low > 0xDFFF) { fail(p, "lone surrogate"); return NULL; }
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        } else if (code >= 0xDC00 && code <= 0xDFFF) { fail(p, "lone surrogate"); return NULL; }
        if (code == 0) { fail(p, "NUL in string"); return NULL; }
        if (code < 0x80) out[o++] = (char)code;
        else if (code < 0x800) { out[o++] = (char)(0xC0 | (code >> 6)); out[o++] = (char)(0x80 | (code & 0x3F)); }
        else if (code < 0x10000) { out[o++] = (char)(0xE0 | (code >> 12)); out[o++] = (char)(0x80 | ((code >> 6) & 0x3F)); out[o++] = (char)(0x80 | (code & 0x3F)); }
        else { out[o++] = (char)(0xF0 | (code >> 18)); out[o++] = (char)(0x80 | ((code >> 12) & 0x3F)); out[o++] = (char)(0x80 | ((code >> 6) & 0x3F)); out[o++] = (char)(0x80 | (code & 0x3F)); }
        break;
      }
      default: fail(p, "bad escape"); return NULL;
    }
  }
  p->i++; /* closing quote */
  out[o] = '\0';
  return out;
}

static jval *parse_value(parser *p, int depth);

static jval *parse_number(parser *p) {
  size_t start = p->i;
  if (p->s[p->i] == '-') p->i++;
  if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9') return fail(p, "bad number");
  while (p->i < p->n && p->s[p->i] && strchr("0123456789.eE+-", p->s[p->i])) p->i++;
  char buffer[64];
  size_t length = p->i - start;
  if (length >= sizeof buffer) return fail(p, "number too long");
  memcpy(buffer, p->s + start, length);
  buffer[length] = '\0';
  char *end;
  double number = strtod(buffer, &end);
  if (*end != '\0') return fail(p, "bad number");
  jval *value = make(J_NUM);
  value->number = number;
  return value;
}

static jval *parse_container(parser *p, int depth, int object) {
  p->i++;
  size_t capacity = 8, count = 0;
  jval **items = arena_alloc(capacity * sizeof(jval *));
  char **keys = object ? arena_alloc(capacity * sizeof(char *)) : NULL;
  skip_ws(p);
  if (p->i < p->n && p->s[p->i] == (object ? '}' : ']')) { p->i++; goto done; }
  for (;;) {
    if (count == capacity) {
      jval **grown = arena_alloc(2 * capacity * sizeof(jval *));
      memcpy(grown, items, count * sizeof(jval *));
      items = grown;
      if (object) { char **grownKeys = arena_alloc(2 * capacity * sizeof(char *)); memcpy(grownKeys, keys, count * sizeof(char *)); keys = grownKeys; }
      capacity *= 2;
    }
    skip_ws(p);
    if (object) {
      if (p->i >= p->n || p->s[p->i] != '"') return fail(p, "expected a key");
      if (!(keys[count] = parse_string_raw(p))) return NULL;
      skip_ws(p);
      if (p->i >= p->n || p->s[p->i] != ':') return fail(p, "expected ':'");
      p->i++;
    }
    if (!(items[count++] = parse_value(p, depth + 1))) return NULL;
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == ',') { p->i++; continue; }
    if (p->i < p->n && p->s[p->i] == (object ? '}' : ']')) { p->i++; break; }
    return fail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
  }
done:;
  jval *value = make(object ? J_OBJ : J_ARR);
  value->items = items; value->keys = keys; value->count = count;
  return value;
}

static jval *parse_value(parser *p, int depth) {
  if (depth > MAX_DEPTH) return fail(p, "nested too deeply");
  skip_ws(p);
  if (p->i >= p->n) return fail(p, "unexpected end");
  char c = p->s[p->i];
  if (c == '{') return parse_container(p, depth, 1);
  if (c == '[') return parse_container(p, depth, 0);
  if (c == '"') { char *text = parse_string_raw(p); if (!text) return NULL; jval *v = make(J_STR); v->string = text; return v; }
  if (p->n - p->i >= 4 && !strncmp(p->s + p->i, "true", 4)) { p->i += 4; jval *v = make(J_BOOL); v->boolean = 1; return v; }
  if (p->n - p->i >= 5 && !strncmp(p->s + p->i, "false", 5)) { p->i += 5; return make(J_BOOL); }
  if (p->n - p->i >= 4 && !strncmp(p->s + p->i, "null", 4)) { p->i += 4; return make(J_NULL); }
  return parse_number(p);
}

jval *json_parse(const char *text, size_t length, const char **error) {
  parser p = { text, 0, length, NULL };
  jval *value = parse_value(&p, 0);
  if (value) { skip_ws(&p); if (p.i != p.n) { value = NULL; p.error = "trailing characters"; } }
  *error = p.error ? p.error : "";
  return value;
}

jval *json_get(const jval *object, const char *key) {
  if (!object || object->type != J_OBJ) return NULL;
  for (size_t k = 0; k < object->count; k++) if (!strcmp(object->keys[k], key)) return object->items[k];
  return NULL;
}

const char *json_str(const jval *object, const char *key) {
  jval *value = json_get(object, key);
  return value && value->type == J_STR ? value->string : NULL;
}

int json_is(const jval *value, jtype type) { return value && value->type == type; }

int json_is_uint(const jval *value) {
  return value && value->type == J_NUM && value->number >= 0 && value->number <= 9007199254740992.0 && value->number == (double)(uint64_t)value->number;
}

static void reserve(jout *out, size_t more) {
  if (out->length + more + 1 <= out->capacity) return;
  size_t capacity = out->capacity ? out->capacity : 4096;
  while (capacity < out->length + more + 1) capacity *= 2;
  out->data = realloc(out->data, capacity);
  if (!out->data) { fputs("out of memory\n", stderr); exit(70); }
  out->capacity = capacity;
}

void out_raw(jout *out, const char *text) {
  size_t length = strlen(text);
  reserve(out, length);
  memcpy(out->data + out->length, text, length);
  out->length += length;
  out->data[out->length] = '\0';
}

void out_char(jout *out, char c) { reserve(out, 1); out->data[out->length++] = c; out->data[out->length] = '\0'; }

void out_string(jout *out, const char *text) {
  out_char(out, '"');
  for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
    if (*c == '"' || *c == '\\') { out_char(out, '\\'); out_char(out, (char)*c); }
    else if (*c < 0x20) { char escape[8]; snprintf(escape, sizeof escape, "\\u%04x", *c); out_raw(out, escape); }
    else out_char(out, (char)*c);
  }
  out_char(out, '"');
}

void out_uint(jout *out, uint64_t value) { char text[32]; snprintf(text, sizeof text, "%llu", (unsigned long long)value); out_raw(out, text); }

void out_hex(jout *out, uint64_t value) { char text[32]; snprintf(text, sizeof text, "\"0x%llx\"", (unsigned long long)value); out_raw(out, text); }
