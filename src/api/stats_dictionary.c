/* GET /api/v1/stats/dictionary: the data dictionary of the open statistics — every field
 * of a figure, the breakdowns and their categories, the hiding rule and the licence — in
 * English and Khmer. docs/open-data.md says the same in prose. */
#include "api/handlers.h"
#include "domain/public_stats.h"
#include "http/reply.h"
#include "core/banned.h"

struct field_doc {
    const char *name, *type, *en, *km;
};

static const struct field_doc fields[] = {
    {"cases", "count", "Cases submitted in the period", "ករណីដែលបានដាក់ស្នើក្នុងរយៈពេលនេះ"},
    {"complaints", "count", "Complaints", "ពាក្យបណ្តឹង"},
    {"support", "count", "Requests for support to get a service done", "សំណើសុំជំនួយដើម្បីទទួលបានសេវា"},
    {"information", "count", "Requests for information", "សំណើសុំព័ត៌មាន"},
    {"evaluation", "count", "Evaluations of a service", "ការវាយតម្លៃសេវា"},
    {"open", "count", "Cases not yet answered, closed or rejected",
     "ករណីដែលមិនទាន់បានឆ្លើយតប បិទ ឬបដិសេធ"},
    {"overcharged", "count", "Complaints saying the citizen was charged above the official fee",
     "ពាក្យបណ្តឹងថាពលរដ្ឋត្រូវបានគិតថ្លៃលើសពីថ្លៃផ្លូវការ"},
    {"suppressed", "boolean", "true when the cases count is hidden", "ពិត នៅពេលចំនួនករណីត្រូវបានលាក់"},
    {"response_rate", "share 0-1",
     "Of the complaints, support and information requests: the share answered or rejected "
     "with a reason",
     "ក្នុងចំណោមពាក្យបណ្តឹង និងសំណើ៖ ចំណែកដែលបានឆ្លើយតប ឬបដិសេធដោយមានហេតុផល"},
    {"acknowledge_days", "{median, p90} whole days",
     "Days from submission to acknowledgement, over the cases acknowledged",
     "ចំនួនថ្ងៃពីការដាក់ស្នើដល់ការទទួលស្គាល់"},
    {"answer_days", "{median, p90} whole days",
     "Days from submission to the answer, over the cases answered", "ចំនួនថ្ងៃពីការដាក់ស្នើដល់ការឆ្លើយតប"},
    {"answered_in_time", "share 0-1", "Of the cases answered, the share answered by the deadline",
     "ក្នុងចំណោមករណីដែលបានឆ្លើយតប ចំណែកដែលឆ្លើយតបទាន់ពេលកំណត់"},
    {"satisfaction", "share 0-1", "Of the citizens who rated an answer, the share satisfied",
     "ក្នុងចំណោមពលរដ្ឋដែលបានវាយតម្លៃចម្លើយ ចំណែកដែលពេញចិត្ត"},
    {"rating", "average 1-5", "Average rating of the answers", "ពិន្ទុមធ្យមនៃចម្លើយ"},
    {"scores", "average 1-5 per criterion",
     "Evaluations: average score for timeliness, official_fee, courtesy, clear_information, "
     "women_safety and overall",
     "ការវាយតម្លៃ៖ ពិន្ទុមធ្យមតាមលក្ខណៈវិនិច្ឆ័យនីមួយៗ"},
};

static json_t *fields_json(void)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        json_array_append_new(arr,
                              json_pack("{s:s,s:s,s:s,s:s}", "name", fields[i].name, "type",
                                        fields[i].type, "en", fields[i].en, "km", fields[i].km));
    return arr;
}

static json_t *breakdowns_json(void)
{
    return json_pack(
        "{s:[s,s,s,s],s:[s,s,s,s,s,s],s:[s,s,s,s],s:[s,s,s,s,s,s,s],s:[s,s,s],s:s,s:s,s:s,s:s}",
        "kind", "complaint", "support", "information", "evaluation", "status", "submitted",
        "acknowledged", "in_progress", "answered", "closed", "rejected", "sex", "female", "male",
        "other", "unsaid", "age_band", "under_18", "18_24", "25_34", "35_44", "45_59", "60_plus",
        "unsaid", "disability", "yes", "no", "unsaid", "service",
        "a code of GET /api/v1/services, or other", "office",
        "the id of the office handling the case now", "month",
        "YYYY-MM, Cambodian time, when the case was submitted", "area",
        "the gazetteer code of the next level down (provinces, districts, communes)");
}

void h_stats_dictionary(struct request *r)
{
    json_t *doc = json_pack(
        "{s:s,s:o,s:o,s:{s:i,s:s,s:s},s:s,s:s}", "about",
        "Aggregated feedback on public services of commune/sangkat offices, OWSO and OWSU in "
        "Cambodia. One case is one person's submission. A case counts in the month it was "
        "submitted (Cambodian time), with its outcome as it stands now, in the areas where "
        "the service was delivered and for the office handling it.",
        "fields", fields_json(), "breakdowns", breakdowns_json(), "suppression", "min_cell",
        STATS_MIN_CELL, "en",
        "A count of 1 to 4 is hidden (null in JSON, <5 in CSV). Where a hidden count could "
        "be worked out from a total and the other counts, more counts are hidden. A share, "
        "average or percentile is shown only when taken over 5 cases or more.",
        "km",
        "ចំនួនពី ១ ដល់ ៤ ត្រូវបានលាក់ (<5)។ ចំណែក មធ្យម ឬភាគរយ បង្ហាញតែនៅពេលមានករណី ៥ "
        "ឬច្រើនជាងនេះ។",
        "licence", "Creative Commons Attribution 4.0 International (CC BY 4.0)", "source",
        "Our Voice, GET /api/v1/stats");
    reply_json(r, 200, doc);
}
