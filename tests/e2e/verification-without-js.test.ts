import { verificationJourney } from './journeys/verification';

verificationJourney({ javaScript: false });
