/* The one table of error codes: code → HTTP status → message in English and Khmer. Every
 * error reply, from any layer, is one of these (the web app keeps its own wording keyed by
 * the same codes in its language catalogues). */
#ifndef OURVOICE_ERRORS_H
#define OURVOICE_ERRORS_H

enum err {
    ERR_BAD_REQUEST,
    ERR_BAD_FRAMING,
    ERR_MALFORMED_JSON,
    ERR_INVALID_UTF8,
    ERR_TOO_DEEP,
    ERR_NOT_AN_OBJECT,
    ERR_MISSING_FIELD,
    ERR_UNKNOWN_FIELD,
    ERR_WRONG_TYPE,
    ERR_TOO_LONG,
    ERR_TOO_MANY,
    ERR_OUT_OF_RANGE,
    ERR_NOT_ALLOWED,
    ERR_INVALID_VALUE,
    ERR_UNKNOWN_AREA,
    ERR_UNKNOWN_SERVICE,
    ERR_NO_OFFICE,
    ERR_UNKNOWN_OFFICE,
    ERR_UNKNOWN_STAFF,
    ERR_ACCUSED_OFFICE,
    ERR_UNSUPPORTED_FILE,
    ERR_FILE_TYPE_MISMATCH,
    ERR_INVALID_RECEIPT,
    ERR_INVALID_CREDENTIALS,
    ERR_TOTP_REQUIRED,
    ERR_SESSION_EXPIRED,
    ERR_TOTP_NOT_ENROLLED,
    ERR_CSRF_FAILED,
    ERR_INVALID_TRANSITION,
    ERR_NO_HIGHER_OFFICE,
    ERR_NO_PUBLIC_CONSENT,
    ERR_NOT_ANSWERED,
    ERR_ALREADY_RATED,
    ERR_APPEAL_NOT_ALLOWED,
    ERR_PROOF_OF_WORK_REQUIRED,
    ERR_PROOF_OF_WORK_INVALID,
    ERR_UNAUTHENTICATED,
    ERR_FORBIDDEN,
    ERR_NOT_FOUND,
    ERR_METHOD_NOT_ALLOWED,
    ERR_CONFLICT,
    ERR_BODY_TOO_LARGE,
    ERR_URI_TOO_LONG,
    ERR_UNSUPPORTED_MEDIA_TYPE,
    ERR_RATE_LIMITED,
    ERR_INTERNAL,
    ERR_UNAVAILABLE,
    ERR_NOT_IMPLEMENTED,
    ERR_TOO_SHORT,
    ERR__COUNT
};

struct err_info {
    const char *code;
    int status;
    const char *message_en;
    const char *message_km;
};

const struct err_info *err_info(enum err e);

/* The entry whose code is `code` (as jsonf reports them), or ERR_BAD_REQUEST. */
enum err err_from_code(const char *code);

#endif
