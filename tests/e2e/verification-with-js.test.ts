import { verificationJourney } from './journeys/verification';

verificationJourney({ javaScript: true });
