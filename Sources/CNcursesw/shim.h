#ifndef ANNOTTY_CNCURSESW_SHIM_H
#define ANNOTTY_CNCURSESW_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <stdio.h>
#include <langinfo.h>
#include <string.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// ncurses exposes these as macros or globals that Swift cannot import directly.
static inline int annotty_color_pair(int n) { return COLOR_PAIR(n); }
static inline int annotty_lines(void) { return LINES; }
static inline int annotty_cols(void) { return COLS; }
static inline WINDOW *annotty_stdscr(void) { return stdscr; }
static inline int annotty_key_resize(void) { return KEY_RESIZE; }
static inline int annotty_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int annotty_getmaxx(WINDOW *w) { return getmaxx(w); }
static inline attr_t annotty_a_bold(void) { return A_BOLD; }
static inline attr_t annotty_a_reverse(void) { return A_REVERSE; }
static inline attr_t annotty_a_underline(void) { return A_UNDERLINE; }
static inline attr_t annotty_a_dim(void) { return A_DIM; }
static inline attr_t annotty_a_normal(void) { return A_NORMAL; }
static inline FILE *annotty_stdin(void) { return stdin; }
static inline FILE *annotty_stdout(void) { return stdout; }
static inline int annotty_key_code_yes(void) { return KEY_CODE_YES; }
static inline int annotty_key_f(int n) { return KEY_F(n); }

// The C library's column count of a character in the current locale (declared here because
// glibc hides it unless _XOPEN_SOURCE is set before the first include of wchar.h).
extern int wcwidth(wchar_t c);
static inline int annotty_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }

// Whether the current locale (after setlocale(LC_ALL, "")) encodes text as UTF-8.
static inline int annotty_codeset_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

// Builds a cchar_t from a base character and up to CCHARW_MAX - 1 zero-width characters.
static inline int annotty_setcchar(cchar_t *cell, const wchar_t *text, attr_t attributes, short pair) {
    return setcchar(cell, text, attributes, pair, NULL);
}
#endif
