-- Cost of targeting by answers at a million members (README, "Personal offers from answers").
-- Generates, in a scratch schema beside a migrated database's own tables (it copies their
-- columns and indexes with LIKE ... INCLUDING ALL), 1,000,000 members, two insight refreshes,
-- 400,000 members' answers to a 3-question profile (100,000 of them answered twice: history),
-- and a running campaign that drew 100,000 members; then EXPLAINs the statements
-- `domain.insight.campaigns._reach` builds. Takes about 4 minutes on a 2-core machine:
--   psql postgres://plaudit:plaudit@127.0.0.1:5432/SCRATCH -f tests/bench/offers_targeting.sql
-- and `DROP SCHEMA bench_offers CASCADE` afterwards.
\timing on
DROP SCHEMA IF EXISTS bench_offers CASCADE;
CREATE SCHEMA bench_offers;
SET search_path = bench_offers;
CREATE TABLE member (id varchar(128) PRIMARY KEY, tier_key varchar(100));
CREATE TABLE member_insight (LIKE public.member_insight INCLUDING ALL);
CREATE TABLE questionnaire_answer (LIKE public.questionnaire_answer INCLUDING ALL);
CREATE TABLE questionnaire_answer_choice (LIKE public.questionnaire_answer_choice INCLUDING ALL);
CREATE TABLE campaign_member (LIKE public.campaign_member INCLUDING ALL);

-- 1,000,000 members, a tenth of them gold
INSERT INTO member SELECT 'm' || lpad(g::text, 7, '0'), CASE WHEN g % 10 = 0 THEN 'gold' END
  FROM generate_series(1, 1000000) g;
-- two refreshes (the latest and the one before)
INSERT INTO member_insight (id, as_of, recency, frequency, monetary, r, f, m, segment, repeat_days,
                            weeks_to_last, weeks_observed, p_alive, churn_risk, member_id)
SELECT (d - 1) * 1000000 + g, CASE d WHEN 1 THEN '2026-12-05' ELSE '2026-12-06' END, 1, 1, 1, 1, 1, 1,
       (ARRAY['CHAMPIONS','LOYAL','POTENTIAL_LOYALIST','NEW','PROMISING','NEEDS_ATTENTION',
              'ABOUT_TO_SLEEP','AT_RISK','CANNOT_LOSE','HIBERNATING','LOST'])[(g * 7 + d) % 11 + 1],
       0, 0, 1, 0.5, (ARRAY['LOW','MEDIUM','HIGH'])[g % 3 + 1], 'm' || lpad(g::text, 7, '0')
  FROM generate_series(1, 1000000) g, generate_series(1, 2) d;
-- 400,000 members answered the bike profile (3 latest answers each); 100,000 of them twice
-- (their first answers are history)
INSERT INTO questionnaire_answer (id, question_key, choices, value, text, answered_at, is_latest,
                                  member_id, questionnaire_id, submission_id)
SELECT row_number() OVER (), q, '[]'::jsonb,
       CASE q WHEN 'recommend' THEN (g * 13 + h) % 11 END, NULL, now(), h = 0,
       'm' || lpad(g::text, 7, '0'), 'bike.profile', g * 2 + h
  FROM generate_series(1, 1000000) g, generate_series(0, 1) h,
       unnest(ARRAY['riding', 'services', 'recommend']) q
 WHERE g % 5 < 2 AND (h = 0 OR g % 4 = 0);
INSERT INTO questionnaire_answer_choice (id, questionnaire_id, question_key, option, is_latest,
                                         answer_id, member_id)
SELECT row_number() OVER (), 'bike.profile', a.question_key, o, a.is_latest, a.id, a.member_id
  FROM questionnaire_answer a,
       LATERAL (SELECT (ARRAY['road', 'mountain', 'city'])[(a.submission_id % 3) + 1]
                 WHERE a.question_key = 'riding'
                UNION ALL
                SELECT o FROM unnest(ARRAY['repair', 'fitting', 'rental']) o
                 WHERE a.question_key = 'services' AND (a.submission_id + length(o)) % 2 = 0) c(o);
-- a running campaign that drew 100,000 members already
INSERT INTO campaign_member (id, held_out, decided_at, campaign_id, member_id)
SELECT g, false, now(), 1, 'm' || lpad((g * 10)::text, 7, '0') FROM generate_series(1, 100000) g;
ANALYZE;
SELECT (SELECT count(*) FROM member_insight) insight, (SELECT count(*) FROM questionnaire_answer) answers,
       (SELECT count(*) FROM questionnaire_answer_choice) choices;

-- campaignAudience: segments and a churn band, riding = road and recommend >= 9 (as `_reach` builds it)
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT COUNT(*) AS n FROM member_insight mi WHERE mi.as_of = '2026-12-06'
   AND mi.segment IN ('AT_RISK', 'CANNOT_LOSE', 'HIBERNATING') AND mi.churn_risk IN ('HIGH')
   AND EXISTS (SELECT 1 FROM questionnaire_answer_choice c WHERE c.questionnaire_id = 'bike.profile'
               AND c.question_key = 'riding' AND c."option" = 'road' AND c.is_latest = TRUE
               AND c.member_id = mi.member_id)
   AND EXISTS (SELECT 1 FROM questionnaire_answer a WHERE a.questionnaire_id = 'bike.profile'
               AND a.question_key = 'recommend' AND a.is_latest = TRUE AND a.value BETWEEN 9 AND 10
               AND a.member_id = mi.member_id);

-- campaignAudience: answers only (two conditions), the whole refresh
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT COUNT(*) AS n FROM member_insight mi WHERE mi.as_of = '2026-12-06'
   AND EXISTS (SELECT 1 FROM questionnaire_answer_choice c WHERE c.questionnaire_id = 'bike.profile'
               AND c.question_key = 'services' AND c."option" = 'repair' AND c.is_latest = TRUE
               AND c.member_id = mi.member_id)
   AND EXISTS (SELECT 1 FROM questionnaire_answer a WHERE a.questionnaire_id = 'bike.profile'
               AND a.question_key = 'recommend' AND a.is_latest = TRUE AND a.value BETWEEN 0 AND 6
               AND a.member_id = mi.member_id);

-- apply_campaigns: tiers, answers and not yet drawn, the member ids
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT mi.member_id FROM member_insight mi JOIN member m ON m.id = mi.member_id
 WHERE mi.as_of = '2026-12-06' AND (m.tier_key IN ('gold') OR m.tier_key IS NULL)
   AND EXISTS (SELECT 1 FROM questionnaire_answer_choice c WHERE c.questionnaire_id = 'bike.profile'
               AND c.question_key = 'riding' AND c."option" = 'road' AND c.is_latest = TRUE
               AND c.member_id = mi.member_id)
   AND NOT EXISTS (SELECT 1 FROM campaign_member d WHERE d.campaign_id = 1 AND d.member_id = mi.member_id);
