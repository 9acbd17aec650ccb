# SMTPSEND_LIB_PATH(VAR, PKG, LIBS, FUNCTION, SONAME-PREFIX, WHAT)
# -----------------------------------------------------------------
# The absolute path of the shared object that linking with LIBS would
# load for PKG (its soname, as the linker records it, in the libdir of
# PKG's pkg-config file), defined as VAR_PATH in config.h: smtpsend
# opens it with dlopen() when a run needs it (src/load.h).  VAR_PATH in
# the environment of configure names another file.
AC_DEFUN([SMTPSEND_LIB_PATH], [
AC_REQUIRE([SMTPSEND_PROG_READELF])
AC_ARG_VAR([$1][_PATH], [absolute path of the $6 shared library])
AC_MSG_CHECKING([which file holds $6])
AS_IF([test -z "$$1_PATH"], [
  save_LIBS=$LIBS
  LIBS="$3 $LIBS"
  smtpsend_soname=
  AC_LINK_IFELSE([AC_LANG_CALL([], [$4])],
    [smtpsend_soname=`$READELF -d conftest$EXEEXT 2>/dev/null |
       sed -n '/(NEEDED)/s/.*: .//p' | sed 's/.$//' | grep '^$5' |
       sed 1q`])
  LIBS=$save_LIBS
  smtpsend_libdir=`$PKG_CONFIG --variable=libdir $2 2>/dev/null`
  AS_IF([test -n "$smtpsend_soname" && test -n "$smtpsend_libdir" &&
         test -f "$smtpsend_libdir/$smtpsend_soname"],
    [$1_PATH="$smtpsend_libdir/$smtpsend_soname"])])
AS_CASE([$$1_PATH],
  [/*], [AC_MSG_RESULT([$$1_PATH])],
  [AC_MSG_RESULT([not found])
   AC_MSG_ERROR([cannot find the shared library of $6 (the soname in a
     program linked with "$3", in the libdir of $2.pc); name it with
     $1_PATH=/absolute/path])])
AC_DEFINE_UNQUOTED([$1_PATH], ["$$1_PATH"],
  [the $6 shared library, opened when a run needs it])
])

AC_DEFUN([SMTPSEND_PROG_READELF], [
AC_CHECK_TOOL([READELF], [readelf])
AS_IF([test -z "$READELF"],
  [AC_MSG_ERROR([readelf (binutils) is needed to find the sonames of the
     libraries smtpsend opens on demand])])
])
