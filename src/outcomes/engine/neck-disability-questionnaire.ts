import { type QuestionnaireSection, sixStatements } from './questionnaire.js';

/**
 * The Neck Disability Index (Vernon & Mior 1991): ten items about how neck pain affects daily life, six statements
 * each, scored 0..5. The statements keep the meaning and order of the published questionnaire in our own words.
 * The NDI is copyrighted (Vernon); check the licence terms before showing the official text in a commercial product.
 */

export type NdiItemId =
  | 'pain_intensity'
  | 'personal_care'
  | 'lifting'
  | 'reading'
  | 'headaches'
  | 'concentration'
  | 'work'
  | 'driving'
  | 'sleeping'
  | 'recreation';

export const NDI_INSTRUCTIONS =
  'These questions ask how your neck pain affects what you can do in everyday life. In each section, choose the one statement that describes you best today. Skip a section only if it does not apply to you (for example, driving if you do not drive).';

export const NDI_ITEMS: readonly QuestionnaireSection<NdiItemId>[] = [
  {
    id: 'pain_intensity',
    title: 'Pain intensity',
    options: sixStatements(
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
    options: sixStatements(
      'I look after myself normally without extra pain.',
      'I look after myself normally, but it causes extra pain.',
      'Looking after myself is painful, and I am slow and careful.',
      'I need some help, but manage most of my personal care.',
      'I need help every day with most of my personal care.',
      'I do not get dressed, I wash with difficulty and I stay in bed.',
    ),
  },
  {
    id: 'lifting',
    title: 'Lifting',
    options: sixStatements(
      'I can lift heavy things without extra pain.',
      'I can lift heavy things, but it gives me extra pain.',
      'Pain stops me lifting heavy things off the floor, but I can if they are placed conveniently, for example on a table.',
      'Pain stops me lifting heavy things, but I can manage light to medium things if they are placed conveniently.',
      'I can lift only very light things.',
      'I cannot lift or carry anything.',
    ),
  },
  {
    id: 'reading',
    title: 'Reading',
    options: sixStatements(
      'I can read as much as I want with no neck pain.',
      'I can read as much as I want with slight neck pain.',
      'I can read as much as I want with moderate neck pain.',
      'Moderate neck pain stops me reading as much as I want.',
      'Severe neck pain means I can hardly read at all.',
      'I cannot read at all.',
    ),
  },
  {
    id: 'headaches',
    title: 'Headaches',
    options: sixStatements(
      'I have no headaches at all.',
      'I have slight headaches that come now and then.',
      'I have moderate headaches that come now and then.',
      'I have moderate headaches that come often.',
      'I have severe headaches that come often.',
      'I have headaches almost all the time.',
    ),
  },
  {
    id: 'concentration',
    title: 'Concentration',
    options: sixStatements(
      'I can concentrate fully whenever I want, without difficulty.',
      'I can concentrate fully whenever I want, with slight difficulty.',
      'Concentrating is fairly difficult for me.',
      'Concentrating is a lot of difficulty for me.',
      'Concentrating is a great deal of difficulty for me.',
      'I cannot concentrate at all.',
    ),
  },
  {
    id: 'work',
    title: 'Work',
    options: sixStatements(
      'I can do as much work as I want.',
      'I can do my usual work, but no more.',
      'I can do most of my usual work, but no more.',
      'I cannot do my usual work.',
      'I can hardly do any work at all.',
      'I cannot do any work at all.',
    ),
  },
  {
    id: 'driving',
    title: 'Driving (if it applies)',
    options: sixStatements(
      'I can drive without any neck pain.',
      'I can drive as long as I want with slight neck pain.',
      'I can drive as long as I want with moderate neck pain.',
      'Moderate neck pain stops me driving as long as I want.',
      'Severe neck pain means I can hardly drive at all.',
      'I cannot drive at all.',
    ),
  },
  {
    id: 'sleeping',
    title: 'Sleeping',
    options: sixStatements(
      'I have no trouble sleeping.',
      'My sleep is slightly disturbed (under 1 hour awake).',
      'My sleep is mildly disturbed (1-2 hours awake).',
      'My sleep is moderately disturbed (2-3 hours awake).',
      'My sleep is greatly disturbed (3-5 hours awake).',
      'My sleep is completely disturbed (5-7 hours awake).',
    ),
  },
  {
    id: 'recreation',
    title: 'Recreation',
    options: sixStatements(
      'I can do all my usual leisure activities with no neck pain.',
      'I can do all my usual leisure activities with some neck pain.',
      'Neck pain stops me doing most, but not all, of my usual leisure activities.',
      'Neck pain lets me do only a few of my usual leisure activities.',
      'Neck pain means I can hardly do any leisure activities.',
      'I cannot do any leisure activities at all.',
    ),
  },
];
