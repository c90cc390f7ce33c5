/* The error table (see errors.h). Messages are for a person: short, plain, and never
 * carrying the client's input. */
#include "http/errors.h"

#include <string.h>

#include "core/banned.h"

static const struct err_info table[ERR__COUNT] = {
    [ERR_BAD_REQUEST] = {"bad_request", 400, "The request could not be understood.",
                         "សំណើនេះមិនអាចយល់បានទេ។"},
    [ERR_BAD_FRAMING] = {"bad_framing", 400,
                         "The request's length headers conflict or use an unknown coding.",
                         "ក្បាលសំណើអំពីប្រវែងមានការប៉ះទង្គិចគ្នា ឬប្រើការអ៊ិនកូដមិនស្គាល់។"},
    [ERR_MALFORMED_JSON] = {"malformed_json", 400, "The request body is not valid JSON.",
                            "តួសំណើមិនមែនជា JSON ត្រឹមត្រូវទេ។"},
    [ERR_INVALID_UTF8] = {"invalid_utf8", 400, "The text is not valid UTF-8.",
                          "អត្ថបទមិនមែនជា UTF-8 ត្រឹមត្រូវទេ។"},
    [ERR_TOO_DEEP] = {"too_deep", 400, "The request body is nested too deeply.",
                      "តួសំណើមានកម្រិតជាន់គ្នាច្រើនពេក។"},
    [ERR_NOT_AN_OBJECT] = {"not_an_object", 400, "The request body must be a JSON object.",
                           "តួសំណើត្រូវតែជាវត្ថុ JSON។"},
    [ERR_MISSING_FIELD] = {"missing_field", 400, "A required field is missing.",
                           "ខ្វះព័ត៌មានដែលត្រូវការ។"},
    [ERR_UNKNOWN_FIELD] = {"unknown_field", 400, "The request has a field that is not accepted.",
                           "សំណើមានព័ត៌មានដែលមិនទទួលយក។"},
    [ERR_WRONG_TYPE] = {"wrong_type", 400, "A field has the wrong type.",
                        "ព័ត៌មានមួយមានប្រភេទមិនត្រឹមត្រូវ។"},
    [ERR_TOO_LONG] = {"too_long", 400, "A field is too long.", "ព័ត៌មានមួយវែងពេក។"},
    [ERR_TOO_MANY] = {"too_many", 400, "A list has too many items.",
                      "បញ្ជីមួយមានធាតុច្រើនពេក។"},
    [ERR_OUT_OF_RANGE] = {"out_of_range", 400, "A number is outside the allowed range.",
                          "លេខមួយនៅក្រៅដែនកំណត់។"},
    [ERR_NOT_ALLOWED] = {"not_allowed", 400, "A field has a value that is not one of the choices.",
                         "ព័ត៌មានមួយមានតម្លៃមិនមែនជាជម្រើសដែលអនុញ្ញាត។"},
    [ERR_INVALID_VALUE] = {"invalid_value", 400, "A field has an invalid value.",
                           "ព័ត៌មានមួយមានតម្លៃមិនត្រឹមត្រូវ។"},
    [ERR_UNKNOWN_AREA] = {"unknown_area", 400, "There is no such place in the gazetteer.",
                          "មិនមានទីកន្លែងនេះក្នុងបញ្ជីឈ្មោះភូមិសាស្ត្រទេ។"},
    [ERR_UNAUTHENTICATED] = {"unauthenticated", 401, "Please sign in.",
                             "សូមចូលប្រើប្រព័ន្ធ។"},
    [ERR_FORBIDDEN] = {"forbidden", 403, "You are not allowed to do this.",
                       "អ្នកមិនមានសិទ្ធិធ្វើការនេះទេ។"},
    [ERR_NOT_FOUND] = {"not_found", 404, "Nothing was found here.", "រកមិនឃើញអ្វីទេ។"},
    [ERR_METHOD_NOT_ALLOWED] = {"method_not_allowed", 405,
                                "This address does not accept this kind of request.",
                                "អាសយដ្ឋាននេះមិនទទួលសំណើប្រភេទនេះទេ។"},
    [ERR_CONFLICT] = {"conflict", 409, "This cannot be done in the current state.",
                      "មិនអាចធ្វើការនេះបានក្នុងស្ថានភាពបច្ចុប្បន្នទេ។"},
    [ERR_BODY_TOO_LARGE] = {"body_too_large", 413, "The request is too large.",
                            "សំណើធំពេក។"},
    [ERR_URI_TOO_LONG] = {"uri_too_long", 414, "The address is too long.",
                          "អាសយដ្ឋានវែងពេក។"},
    [ERR_UNSUPPORTED_MEDIA_TYPE] = {"unsupported_media_type", 415,
                                    "The request body must be JSON (application/json).",
                                    "តួសំណើត្រូវតែជា JSON (application/json)។"},
    [ERR_RATE_LIMITED] = {"rate_limited", 429, "Too many attempts. Please wait and try again.",
                          "ព្យាយាមច្រើនដងពេក។ សូមរង់ចាំ ហើយព្យាយាមម្តងទៀត។"},
    [ERR_INTERNAL] = {"internal", 500, "Something went wrong on our side. Please try again.",
                      "មានបញ្ហានៅខាងយើង។ សូមព្យាយាមម្តងទៀត។"},
    [ERR_UNAVAILABLE] = {"unavailable", 503, "The service is busy or stopping. Please try again.",
                         "សេវាកំពុងរវល់ ឬកំពុងបិទ។ សូមព្យាយាមម្តងទៀត។"},
    [ERR_NOT_IMPLEMENTED] = {"not_implemented", 501, "This is not available.",
                             "មុខងារនេះមិនទាន់មានទេ។"},
};

const struct err_info *err_info(enum err e)
{
    return &table[(unsigned)e < ERR__COUNT ? e : ERR_INTERNAL];
}

enum err err_from_code(const char *code)
{
    for (int i = 0; i < ERR__COUNT; i++)
        if (code && strcmp(table[i].code, code) == 0)
            return (enum err)i;
    return ERR_BAD_REQUEST;
}
