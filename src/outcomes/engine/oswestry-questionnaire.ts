import { type QuestionnaireSection, sixStatements as options } from './questionnaire.js';

/**
 * The Oswestry Disability Index (version 2.1a layout): ten sections about how low back pain affects daily life, six
 * statements each, scored 0..5. The statements keep the meaning and order of the published questionnaire in our own
 * words. The ODI is copyrighted (Fairbank); its official wording and translations are licensed through the Mapi
 * Research Trust, so check the licence before showing the official text in a commercial product.
 */

export type OdiSectionId =
  | 'pain_intensity'
  | 'personal_care'
  | 'lifting'
  | 'walking'
  | 'sitting'
  | 'standing'
  | 'sleeping'
  | 'sex_life'
  | 'social_life'
  | 'travelling';

export const ODI_INSTRUCTIONS =
  'These questions ask how your back (or leg) pain affects what you can do in everyday life. In each section, choose the one statement that describes you best today. If two seem to fit, choose the one further down the list. Skip a section only if it does not apply to you.';

export const ODI_SECTIONS: readonly QuestionnaireSection<OdiSectionId>[] = [
  {
    id: 'pain_intensity',
    title: 'Pain intensity',
    options: options(
      'I have no pain right now.',
      'The pain is very mild right now.',
      'The pain is moderate right now.',
      'The pain is fairly severe right now.',
      'The pain is very severe right now.',
      'The pain is the worst I can imagine right now.',
    ),
  },
  {
    id: 'personal_care',
    title: 'Personal care (washing, dressing)',
    options: options(
      'I look after myself normally without extra pain.',
      'I look after myself normally, but it is very painful.',
      'Looking after myself is painful, and I am slow and careful.',
      'I need some help, but manage most of my personal care.',
      'I need help every day with most of my personal care.',
      'I do not get dressed, I wash with difficulty and I stay in bed.',
    ),
  },
  {
    id: 'lifting',
    title: 'Lifting',
    options: options(
      'I can lift heavy things without extra pain.',
      'I can lift heavy things, but it gives me extra pain.',
      'Pain stops me lifting heavy things off the floor, but I can if they are placed conveniently, for example on a table.',
      'Pain stops me lifting heavy things, but I can manage light to medium things if they are placed conveniently.',
      'I can lift only very light things.',
      'I cannot lift or carry anything.',
    ),
  },
  {
    id: 'walking',
    title: 'Walking',
    options: options(
      'Pain does not stop me walking any distance.',
      'Pain stops me walking more than 1 mile (about 1.6 km).',
      'Pain stops me walking more than a quarter of a mile (about 400 m).',
      'Pain stops me walking more than 100 yards (about 90 m).',
      'I can walk only with a stick or crutches.',
      'I am in bed most of the time.',
    ),
  },
  {
    id: 'sitting',
    title: 'Sitting',
    options: options(
      'I can sit in any chair for as long as I like.',
      'I can sit for as long as I like, but only in my favourite chair.',
      'Pain stops me sitting for more than 1 hour.',
      'Pain stops me sitting for more than 30 minutes.',
      'Pain stops me sitting for more than 10 minutes.',
      'Pain stops me sitting at all.',
    ),
  },
  {
    id: 'standing',
    title: 'Standing',
    options: options(
      'I can stand for as long as I want without extra pain.',
      'I can stand for as long as I want, but it gives me extra pain.',
      'Pain stops me standing for more than 1 hour.',
      'Pain stops me standing for more than 30 minutes.',
      'Pain stops me standing for more than 10 minutes.',
      'Pain stops me standing at all.',
    ),
  },
  {
    id: 'sleeping',
    title: 'Sleeping',
    options: options(
      'Pain never disturbs my sleep.',
      'Pain disturbs my sleep now and then.',
      'Because of pain I sleep less than 6 hours.',
      'Because of pain I sleep less than 4 hours.',
      'Because of pain I sleep less than 2 hours.',
      'Pain stops me sleeping at all.',
    ),
  },
  {
    id: 'sex_life',
    title: 'Sex life (if it applies)',
    options: options(
      'My sex life is normal and causes no extra pain.',
      'My sex life is normal, but causes some extra pain.',
      'My sex life is nearly normal, but very painful.',
      'My sex life is severely limited by pain.',
      'My sex life is nearly absent because of pain.',
      'Pain prevents any sex life at all.',
    ),
  },
  {
    id: 'social_life',
    title: 'Social life',
    options: options(
      'My social life is normal and causes no extra pain.',
      'My social life is normal, but it increases my pain.',
      'Pain has no real effect on my social life, apart from limiting more energetic interests such as sport.',
      'Pain has limited my social life and I go out less often.',
      'Pain has limited my social life to my home.',
      'I have no social life because of pain.',
    ),
  },
  {
    id: 'travelling',
    title: 'Travelling',
    options: options(
      'I can travel anywhere without pain.',
      'I can travel anywhere, but it gives me extra pain.',
      'Pain is bad, but I manage journeys of over two hours.',
      'Pain limits me to journeys of under one hour.',
      'Pain limits me to short, necessary journeys of under 30 minutes.',
      'Pain stops me travelling except to get treatment.',
    ),
  },
];
