/* Outbox producers (see notify.h). The citizen's contact stays sealed: the outbox row gets
 * a copy of the sealed blob and only the sender opens it. */
#include "domain/notify.h"

#include "core/banned.h"

int notify_citizen(struct store *s, const struct case_row *c, const char *now)
{
    if (!c->contact_sealed)
        return STORE_OK;
    struct outbox_msg m = {.channel = "citizen",
                           .template_name = "news",
                           .recipient_sealed = c->contact_sealed,
                           .recipient_sealed_len = c->contact_sealed_len,
                           .case_id = c->id,
                           .created_at = now};
    return store_outbox_insert(s, &m);
}

int notify_staff(struct store *s, const struct case_row *c, const char *template_name,
                 const char *now)
{
    struct outbox_msg m = {
        .channel = "staff", .template_name = template_name, .case_id = c->id, .created_at = now};
    return store_outbox_insert(s, &m);
}
