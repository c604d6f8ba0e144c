//! Decoration state: the bare room, then options in a cycle.

use crate::gesture::{Direction, GestureEvent, GestureKind};

/// What the room shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// The unfurnished room.
    Bare,
    /// Decoration option at this index (from 0).
    Option(usize),
}

impl Shown {
    /// The option index, `None` for the bare room.
    pub fn index(self) -> Option<usize> {
        match self {
            Shown::Bare => None,
            Shown::Option(i) => Some(i),
        }
    }
}

/// What the wearer asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Show the next option (from the bare room: the first).
    Next,
    /// Show the previous option (from the bare room: the last).
    Previous,
}

impl Command {
    /// The default meaning of a gesture: a wave or a swipe to the left is "next",
    /// a swipe to the right is "previous" (like turning a page).
    pub fn for_gesture(event: &GestureEvent) -> Command {
        match (event.gesture, event.direction) {
            (GestureKind::Swipe, Some(Direction::Right)) => Command::Previous,
            _ => Command::Next,
        }
    }
}

/// The decoration state machine.
///
/// Commands closer together than the cooldown are refused: one physical
/// motion seen as two gestures (say a wave whose last stroke also looks like a
/// swipe) must not skip an option.
#[derive(Clone, Debug)]
pub struct Decorator {
    option_count: usize,
    shown: Shown,
    cooldown: f64,
    last_change: Option<f64>,
}

impl Decorator {
    /// Default minimum time between two changes, in seconds.
    pub const DEFAULT_COOLDOWN: f64 = 0.8;

    /// Starts on the bare room with `option_count` options to cycle through.
    pub fn new(option_count: usize) -> Self {
        Decorator {
            option_count,
            shown: Shown::Bare,
            cooldown: Self::DEFAULT_COOLDOWN,
            last_change: None,
        }
    }

    /// Sets the minimum time between two changes (seconds, clamped at 0).
    pub fn with_cooldown(mut self, seconds: f64) -> Self {
        self.cooldown = seconds.max(0.0);
        self
    }

    /// What is shown now.
    pub fn shown(&self) -> Shown {
        self.shown
    }

    /// Number of options cycled through.
    pub fn option_count(&self) -> usize {
        self.option_count
    }

    /// Applies a command at time `t` (seconds, any monotonic clock). Returns the
    /// new state when it changed; `None` when refused (cooldown, nothing to cycle).
    pub fn apply(&mut self, command: Command, t: f64) -> Option<Shown> {
        if self.option_count == 0 {
            return None;
        }
        if let Some(last) = self.last_change
            && t - last < self.cooldown
        {
            return None;
        }
        let n = self.option_count;
        let next = match (self.shown, command) {
            (Shown::Bare, Command::Next) => 0,
            (Shown::Bare, Command::Previous) => n - 1,
            (Shown::Option(i), Command::Next) => (i + 1) % n,
            (Shown::Option(i), Command::Previous) => (i + n - 1) % n,
        };
        let new = Shown::Option(next);
        if new == self.shown {
            // A single option cannot cycle: refusing tells the wearer nothing happened.
            return None;
        }
        self.shown = new;
        self.last_change = Some(t);
        Some(new)
    }

    /// Shows `shown` at once, ignoring the cooldown (which restarts).
    /// Returns false, changing nothing, for an option index out of range.
    pub fn show(&mut self, shown: Shown) -> bool {
        if shown.index().is_some_and(|i| i >= self.option_count) {
            return false;
        }
        self.shown = shown;
        self.last_change = None;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gesture::Handedness;

    fn swipe(direction: Direction) -> GestureEvent {
        GestureEvent {
            t: 0.0,
            hand: Handedness::Right,
            gesture: GestureKind::Swipe,
            direction: Some(direction),
        }
    }

    #[test]
    fn starts_bare_and_cycles_forward() {
        let mut d = Decorator::new(3);
        assert_eq!(d.shown(), Shown::Bare);
        assert_eq!(d.apply(Command::Next, 0.0), Some(Shown::Option(0)));
        assert_eq!(d.apply(Command::Next, 1.0), Some(Shown::Option(1)));
        assert_eq!(d.apply(Command::Next, 2.0), Some(Shown::Option(2)));
        assert_eq!(d.apply(Command::Next, 3.0), Some(Shown::Option(0)));
    }

    #[test]
    fn previous_wraps_and_from_bare_goes_to_last() {
        let mut d = Decorator::new(3);
        assert_eq!(d.apply(Command::Previous, 0.0), Some(Shown::Option(2)));
        assert_eq!(d.apply(Command::Previous, 1.0), Some(Shown::Option(1)));
    }

    #[test]
    fn cooldown_refuses_a_second_change() {
        let mut d = Decorator::new(3).with_cooldown(0.8);
        assert!(d.apply(Command::Next, 10.0).is_some());
        assert_eq!(d.apply(Command::Next, 10.5), None);
        assert_eq!(d.shown(), Shown::Option(0));
        assert_eq!(d.apply(Command::Next, 10.81), Some(Shown::Option(1)));
    }

    #[test]
    fn nothing_to_cycle_is_refused() {
        let mut none = Decorator::new(0);
        assert_eq!(none.apply(Command::Next, 0.0), None);
        let mut one = Decorator::new(1);
        assert_eq!(one.apply(Command::Next, 0.0), Some(Shown::Option(0)));
        assert_eq!(one.apply(Command::Next, 5.0), None);
    }

    #[test]
    fn gestures_map_to_commands() {
        assert_eq!(Command::for_gesture(&swipe(Direction::Left)), Command::Next);
        assert_eq!(
            Command::for_gesture(&swipe(Direction::Right)),
            Command::Previous
        );
        let wave = GestureEvent {
            t: 0.0,
            hand: Handedness::Left,
            gesture: GestureKind::Wave,
            direction: None,
        };
        assert_eq!(Command::for_gesture(&wave), Command::Next);
    }

    #[test]
    fn show_jumps_and_refuses_unknown_options() {
        let mut d = Decorator::new(3);
        assert!(d.show(Shown::Option(2)));
        assert_eq!(d.shown(), Shown::Option(2));
        assert!(!d.show(Shown::Option(3)));
        assert_eq!(d.shown(), Shown::Option(2));
        assert!(d.show(Shown::Bare));
    }

    #[test]
    fn showing_bare_returns_to_bare_and_clears_the_cooldown() {
        let mut d = Decorator::new(2);
        d.apply(Command::Next, 0.0);
        assert!(d.show(Shown::Bare));
        assert_eq!(d.shown(), Shown::Bare);
        assert_eq!(d.apply(Command::Next, 0.1), Some(Shown::Option(0)));
    }
}
