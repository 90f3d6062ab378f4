#ifndef ANNOTTY_CNCURSESW_SHIM_H
#define ANNOTTY_CNCURSESW_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
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
#endif
