// libxml2 for Publica: the parser, SAX2 and error headers. Only PublicaXML imports this.
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/dict.h>
