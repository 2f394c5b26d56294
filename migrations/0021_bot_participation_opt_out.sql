-- Nobody may be forced to tell the bot whether they would join street or workplace actions: the
-- default questionnaire's participation question gets "prefer not to say" (an answer without a
-- segment), and the region question's Russian opt-out the wording used everywhere else.
--
-- Only an installation still on the unedited default (version 1, written by the system, nothing
-- published after it) gets this as version 2; an edited questionnaire is the administrators', and the
-- editor now refuses to publish a question without an opt-out. Answers given under version 1 keep it.
-- A new installation has no questionnaire yet and starts from the new default.
insert into bot_questionnaires (version, definition, created_by)
select 2,
  jsonb_build_object('questions', jsonb_build_array(
    jsonb_set(q.definition #> '{questions,0}', '{options,7,label,ru}', '"Не хочу указывать"'::jsonb),
    jsonb_set(
      jsonb_set(
        q.definition #> '{questions,1}',
        '{text}',
        '{"be": "Як вы гатовыя ўдзельнічаць? Можна выбраць некалькі або «Не хачу казаць».", "ru": "Как вы готовы участвовать? Можно выбрать несколько или «Не хочу указывать».", "en": "How are you ready to take part? You can choose several, or “Prefer not to say”."}'::jsonb
      ),
      '{options}',
      (q.definition #> '{questions,1,options}')
        || '[{"id": "undisclosed", "label": {"be": "Не хачу казаць", "ru": "Не хочу указывать", "en": "Prefer not to say"}, "segment": null}]'::jsonb
    )
  )),
  'migration 0021'
from bot_questionnaires q
where q.version = 1
  and q.created_by is null
  and not exists (select 1 from bot_questionnaires later where later.version > 1)
  and jsonb_array_length(q.definition -> 'questions') = 2
  and q.definition #>> '{questions,0,options,7,id}' = 'undisclosed'
  and q.definition #>> '{questions,1,id}' = 'participation'
  and not exists (
    select 1 from jsonb_array_elements(q.definition #> '{questions,1,options}') o
    where o -> 'segment' = 'null'::jsonb
  );
