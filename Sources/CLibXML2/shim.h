// libxml2 for Publica: the parser, SAX2 and error headers. Only PublicaXML imports this.
//
// Debian builds libxml2 with ICU, so <libxml/encoding.h> would pull in the system's
// <unicode/*.h>; those clash with Foundation's own ICU module in the same Swift build
// ("… from module '_FoundationICU' is not present in definition of 'enum UErrorCode'").
// Publica never touches libxml2's encoding handlers (it only holds pointers to them), so the
// ICU part of that header is left out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/dict.h>
