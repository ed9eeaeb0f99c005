/* The supply warnings (README.md, "Power cuts"): mains-ok on EXTI line 8 and the PVD on EXTI line 16. */
#ifndef SUPPLY_H
#define SUPPLY_H

void supply_watch_init(void);
/* From the main loop: saves the energy on a new warning; carries on after a dip the hold-up rode through. */
void supply_watch(void);
/* Whether a warning waits for supply_watch (the main loop must not sleep). */
int supply_warning_pending(void);
/* Whether the energy has been saved for a power cut: nothing more is written to the EEPROM. */
int supply_powered_down(void);

#endif
