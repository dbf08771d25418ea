import { GUIDE_SLUGS, GUIDE_TITLES, GUIDES_INDEX_PATH, guidePath } from '../../../src/domain/guide-links';
import { Link } from '../shared/lib/router';

export function HomePage() {
  return (
    <div className="home">
      <section className="hero">
        <h1 tabIndex={-1}>Deep tissue massage that gets to the knot.</h1>
        <p className="hero-lede">
          Tight hamstrings, knots in your back, legs that ache? Find a licensed therapist near you or one who comes to
          your home, and book a time that suits you.
        </p>
        <div className="actions">
          <Link className="btn btn-primary btn-large" to="/search">
            Find a therapist
          </Link>
          <Link className="btn btn-large" to="/sign-up?role=therapist">
            I am a therapist
          </Link>
        </div>
      </section>
      <section className="card self-check-invite" aria-labelledby="self-check-invite-heading">
        <h2 id="self-check-invite-heading">Not sure what is going on?</h2>
        <p>
          Mark where it hurts or feels tight and answer a few questions: what is likely going on, what a session would
          do, what you can do yourself and when to see a doctor first. No account needed.
        </p>
        <Link className="btn btn-primary" to="/self-check">
          Check what is going on
        </Link>
      </section>
      <section className="card stack" aria-labelledby="guides-invite-heading">
        <h2 id="guides-invite-heading">Questions people ask</h2>
        <ul>
          {GUIDE_SLUGS.map((slug) => (
            <li key={slug}>
              {/* The guides are pages the server renders, not screens of this app: a full page load. */}
              <a href={guidePath(slug)}>{GUIDE_TITLES[slug]}</a>
            </li>
          ))}
        </ul>
        <p>
          <a href={GUIDES_INDEX_PATH}>All guides</a>
        </p>
      </section>
      <ul className="value-points" role="list">
        <li>
          <h2>Verified therapists</h2>
          <p>Every therapist's licence is checked by our team before they can be booked.</p>
        </li>
        <li>
          <h2>Clear terms, up front</h2>
          <p>See the cancellation terms before you confirm. Changes within minutes of booking are always free.</p>
        </li>
        <li>
          <h2>Studio or at home</h2>
          <p>Choose a studio nearby or a therapist who travels to you, on the day and at the time you want.</p>
        </li>
      </ul>
    </div>
  );
}
